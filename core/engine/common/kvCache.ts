// The KV cache's layout and exact byte accounting. Storage is per (layer, KV head): each head has
// its own key and value buffers, so a later attention policy can give streaming heads a ring of
// sink + recent tokens while retrieval heads keep every position (RazorAttention/DuoAttention).

/** Element type of cached keys and values. */
export type KvType = 'f16' | 'f32';

/** What one (layer, KV head) keeps. */
export type HeadPolicy =
  /** Every position up to the cache's capacity. */
  { readonly kind: 'full' };

export interface KvCacheLayout {
  readonly nLayers: number;
  readonly nKvHeads: number;
  readonly headDim: number;
  /** Positions a full head can hold (the context length in use). */
  readonly capacity: number;
  /** Query heads that share each KV head (grouped-query attention; 1 for MHA). */
  readonly queryGroup: number;
  readonly type: KvType;
  /** Policy per layer and head: policies[layer][head]. */
  readonly policies: readonly (readonly HeadPolicy[])[];
}

/** Bytes of one element of `type`. */
export function kvElementBytes(type: KvType): number {
  return type === 'f16' ? 2 : 4;
}

/** Positions one head stores under its policy. */
export function headSlots(layout: KvCacheLayout, _layer: number, _head: number): number {
  return layout.capacity;
}

/** Bytes of keys + values of one (layer, head). */
export function headBytes(layout: KvCacheLayout, layer: number, head: number): number {
  return 2 * headSlots(layout, layer, head) * layout.headDim * kvElementBytes(layout.type);
}

/** Exact bytes of the whole cache (sum over every layer and head). */
export function kvCacheBytes(layout: KvCacheLayout): number {
  let total = 0;
  for (let l = 0; l < layout.nLayers; l++) for (let h = 0; h < layout.nKvHeads; h++) total += headBytes(layout, l, h);
  return total;
}

/** A layout where every head keeps every position. */
export function fullKvLayout(
  nLayers: number, nKvHeads: number, headDim: number, capacity: number, type: KvType, queryGroup = 1,
): KvCacheLayout {
  const policies = Array.from({ length: nLayers }, () => Array.from({ length: nKvHeads }, (): HeadPolicy => ({ kind: 'full' })));
  return { nLayers, nKvHeads, headDim, capacity, queryGroup, type, policies };
}
