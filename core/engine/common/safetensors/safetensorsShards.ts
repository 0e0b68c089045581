// A model's weights spread over one `model.safetensors` or several shards listed by
// `model.safetensors.index.json` (weight_map: tensor name -> shard file). Opens each shard once,
// reads its header and checks that the index and the shards agree, tensor by tensor.

import { ModelFileError } from '../../../base/common/errors.js';
import type { ByteSource } from '../../../base/common/byteSource.js';
import { readSafetensors, type SafetensorsTensor } from '../../../base/common/safetensorsHeader.js';

/** A tensor of a safetensors model, with the file that holds its bytes. */
export interface SafetensorsModelTensor extends SafetensorsTensor {
  readonly source: ByteSource;
}

/** Every tensor of a (possibly sharded) safetensors model, and the open files to close. */
export interface SafetensorsModel {
  readonly tensors: ReadonlyMap<string, SafetensorsModelTensor>;
  readonly sources: readonly ByteSource[];
}

/** The files of a model folder, opened by name. */
export interface FolderFiles {
  /** Full path of a file of the folder, for messages. */
  pathOf(name: string): string;
  /** Opens a file of the folder; undefined when it does not exist. */
  open(name: string): Promise<ByteSource | undefined>;
}

/** Parses `model.safetensors.index.json`: its weight_map, tensor name -> shard file name. */
export function parseSafetensorsIndex(json: unknown, file: string): Map<string, string> {
  const weightMap = typeof json === 'object' && json !== null ? (json as { weight_map?: unknown }).weight_map : undefined;
  if (typeof weightMap !== 'object' || weightMap === null || Array.isArray(weightMap)) {
    throw new ModelFileError(file, 'it has no "weight_map" object (tensor name -> shard file)');
  }
  const map = new Map<string, string>();
  for (const [tensor, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || !/^[^/\\]+\.safetensors$/.test(shard) || shard.startsWith('.')) {
      throw new ModelFileError(file, `weight_map["${tensor}"] should be a .safetensors file name in the same folder; found ${JSON.stringify(shard)}`);
    }
    map.set(tensor, shard);
  }
  if (map.size === 0) throw new ModelFileError(file, '"weight_map" is empty');
  return map;
}

/**
 * Opens `shards` and gathers their tensors. With a `weightMap` (from the index) every tensor must
 * be in the shard the index names, and every tensor of a shard must be in the index. On failure,
 * files already opened are closed.
 */
export async function openSafetensorsModel(
  shards: readonly string[],
  folder: FolderFiles,
  weightMap?: { readonly map: ReadonlyMap<string, string>; readonly file: string },
): Promise<SafetensorsModel> {
  const sources: ByteSource[] = [];
  try {
    const tensors = new Map<string, SafetensorsModelTensor>();
    for (const shard of shards) {
      const source = await folder.open(shard);
      if (!source) {
        const why = weightMap ? `it is named by ${weightMap.file} but does not exist` : 'it does not exist';
        throw new ModelFileError(folder.pathOf(shard), why);
      }
      sources.push(source);
      const header = await readSafetensors(source);
      for (const tensor of header.tensors.values()) {
        const previous = tensors.get(tensor.name);
        if (previous) throw new ModelFileError(source.name, `tensor "${tensor.name}" is also in ${previous.source.name}`);
        const listed = weightMap?.map.get(tensor.name);
        if (weightMap && listed !== shard) {
          const where = listed === undefined ? 'is not in its weight_map' : `places it in ${listed}`;
          throw new ModelFileError(source.name, `holds tensor "${tensor.name}" but ${weightMap.file} ${where}`);
        }
        tensors.set(tensor.name, { ...tensor, source });
      }
    }
    for (const [name, shard] of weightMap?.map ?? []) {
      if (!tensors.has(name)) throw new ModelFileError(weightMap!.file, `places tensor "${name}" in ${shard}, which does not hold it`);
    }
    return { tensors, sources };
  } catch (error) {
    await Promise.all(sources.map((source) => source.close()));
    throw error;
  }
}

/** The distinct shard files of a weight map, in a stable order. */
export function shardFiles(weightMap: ReadonlyMap<string, string>): string[] {
  return [...new Set(weightMap.values())].sort();
}
