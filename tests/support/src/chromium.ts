/**
 * Headless Chromium as the tests launch it (Debian's package; scripts/install-chromium.sh installs it).
 * The background-networking flags matter here: without them Chromium keeps dialling Google's hosts,
 * which this closed network refuses, many connections at a time.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS: string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
