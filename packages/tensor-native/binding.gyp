{
  "targets": [
    {
      "target_name": "backprop_native",
      "sources": ["native/addon.c", "native/addon-loops.c", "native/elementwise.c", "native/gemm.c", "native/inplace.c", "native/moment-step.c", "native/pool.c", "native/reduce.c"],
      "cflags": ["-std=gnu11", "-O3", "-ffp-contract=off", "-fno-fast-math", "-fno-math-errno", "-Wall", "-Wno-psabi"],
      "cflags!": ["-O2", "-O0"],
      "xcode_settings": {
        "OTHER_CFLAGS": ["-std=gnu11", "-O3", "-ffp-contract=off"]
      },
      "libraries": ["-lpthread", "-lm"]
    }
  ]
}
