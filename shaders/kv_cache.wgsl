// kv_cache.wgsl: element access to the KV cache for the attention kernels (included after their
// bindings): key_at(e) and value_at(e) read element e of `cache_k` / `cache_v`, stored as f16
// pairs in u32 words with KV_F16, else as f32 bits.

#ifdef KV_F16
fn key_at(e: u32) -> f32 { return f16_to_f32(cache_k[e >> 1u] >> ((e & 1u) * 16u)); }
fn value_at(e: u32) -> f32 { return f16_to_f32(cache_v[e >> 1u] >> ((e & 1u) * 16u)); }
#else
fn key_at(e: u32) -> f32 { return bitcast<f32>(cache_k[e]); }
fn value_at(e: u32) -> f32 { return bitcast<f32>(cache_v[e]); }
#endif
