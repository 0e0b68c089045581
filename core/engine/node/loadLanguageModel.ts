// Opens a model path (GGUF file or Hugging Face folder), creates the backend and loads the model
// onto it: the single entry the CLI and the service use to get a LanguageModel.

import { LanguageModel, type LoadOptions } from '../common/languageModel.js';
import { createBackend, type BackendOptions } from './backends.js';
import { openModel, type ModelFiles } from './openModel.js';

export interface LanguageModelOptions extends LoadOptions, BackendOptions {
  /** Backend name; default "cpu". */
  readonly backend?: string;
}

/** A loaded model and its open files; `dispose()` releases both. */
export interface LoadedLanguageModel {
  readonly model: LanguageModel;
  readonly files: ModelFiles;
  dispose(): Promise<void>;
}

export async function loadLanguageModel(path: string, options: LanguageModelOptions = {}): Promise<LoadedLanguageModel> {
  const files = await openModel(path);
  try {
    const backend = await createBackend(options.backend ?? 'cpu', options);
    try {
      const model = await LanguageModel.load({ ...files, path }, backend, options);
      return {
        model,
        files,
        async dispose() {
          await model.dispose();
          await files.close();
        },
      };
    } catch (error) {
      await backend.dispose();
      throw error;
    }
  } catch (error) {
    await files.close();
    throw error;
  }
}
