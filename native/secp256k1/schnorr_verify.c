/*
 * BIP-340 verification on the system libsecp256k1 (the Bitcoin Core reference implementation), for bulk imports.
 * One function: verify(signatureHex, messageHex, pubkeyHex) -> boolean. Inputs are exactly 128/64/64 lowercase hex
 * characters; anything else (wrong type, length or character, a key that is not on the curve) answers false, never
 * throws, so untrusted event fields can be passed straight through. The JS loader runs BIP-340 vectors against it
 * before trusting it (electron/native/secp256k1.ts).
 *
 * Context-aware (NAPI_MODULE_INIT): every worker thread gets its own instance and its own verification context.
 * Node-API only, so one build serves Node and Electron alike.
 */
#include <node_api.h>
#include <secp256k1.h>
#include <secp256k1_extrakeys.h>
#include <secp256k1_schnorrsig.h>
#include <uchar.h>

static int hex_value(char16_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Reads a JS string of exactly 2*n lowercase hex characters into out[n]; 0 on anything else. Read as UTF-16, not
 * Latin-1: a Latin-1 read keeps only the low byte of each character, so U+0130 would pass as '0'. */
static int read_hex(napi_env env, napi_value value, unsigned char *out, size_t n) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_string) return 0;
  /* Room for one character more than the longest field (the 64-byte signature) plus NUL: a longer string is then
   * seen as too long instead of being silently cut to the expected length. */
  char16_t text[2 * 64 + 2];
  size_t length = 0;
  if (2 * n + 2 > sizeof text / sizeof text[0]) return 0;
  if (napi_get_value_string_utf16(env, value, text, 2 * n + 2, &length) != napi_ok) return 0;
  if (length != 2 * n) return 0;
  for (size_t i = 0; i < n; i++) {
    int hi = hex_value(text[2 * i]);
    int lo = hex_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return 0;
    out[i] = (unsigned char)((hi << 4) | lo);
  }
  return 1;
}

static napi_value boolean(napi_env env, int value) {
  napi_value result = NULL; /* NULL reads as undefined in JS: never true */
  napi_get_boolean(env, value != 0, &result);
  return result;
}

static napi_value verify(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  void *data = NULL;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &data) != napi_ok || argc != 3 || data == NULL) return boolean(env, 0);
  const secp256k1_context *ctx = (const secp256k1_context *)data;
  unsigned char signature[64], message[32], pubkey_bytes[32];
  if (!read_hex(env, argv[0], signature, 64) || !read_hex(env, argv[1], message, 32) || !read_hex(env, argv[2], pubkey_bytes, 32)) {
    return boolean(env, 0);
  }
  secp256k1_xonly_pubkey pubkey;
  if (!secp256k1_xonly_pubkey_parse(ctx, &pubkey, pubkey_bytes)) return boolean(env, 0);
  return boolean(env, secp256k1_schnorrsig_verify(ctx, signature, message, 32, &pubkey));
}

static void destroy_context(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  secp256k1_context_destroy((secp256k1_context *)data);
}

NAPI_MODULE_INIT() {
  secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
  if (ctx == NULL) return NULL;
  napi_value fn;
  if (napi_create_function(env, "verify", NAPI_AUTO_LENGTH, verify, ctx, &fn) != napi_ok) {
    secp256k1_context_destroy(ctx);
    return NULL;
  }
  /* The context lives as long as the function that uses it. */
  if (napi_add_finalizer(env, fn, ctx, destroy_context, NULL, NULL) != napi_ok) {
    secp256k1_context_destroy(ctx);
    return NULL;
  }
  napi_set_named_property(env, exports, "verify", fn);
  return exports;
}
