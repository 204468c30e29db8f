// asciichart ships no types; this covers the part the trainer uses.
declare module 'asciichart' {
  export interface PlotConfig {
    height?: number;
    min?: number;
    max?: number;
    offset?: number;
    padding?: string;
    colors?: (string | undefined)[];
    format?: (value: number, index: number) => string;
  }
  const asciichart: {
    plot(series: number[] | number[][], config?: PlotConfig): string;
    red: string;
    blue: string;
    green: string;
    reset: string;
  };
  export default asciichart;
}
