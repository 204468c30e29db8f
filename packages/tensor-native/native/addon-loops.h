// The loop bindings of addon-loops.c, registered by addon.c's module init.
#ifndef BACKPROP_ADDON_LOOPS_H
#define BACKPROP_ADDON_LOOPS_H
#define NAPI_VERSION 8
#include <node_api.h>

napi_value js_binary(napi_env env, napi_callback_info info);
napi_value js_unary(napi_env env, napi_callback_info info);
napi_value js_where(napi_env env, napi_callback_info info);
napi_value js_reduce(napi_env env, napi_callback_info info);
napi_value js_vdot(napi_env env, napi_callback_info info);
napi_value js_add_scaled(napi_env env, napi_callback_info info);
napi_value js_set_elementwise_parallel_min(napi_env env, napi_callback_info info);

#endif
