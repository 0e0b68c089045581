// The tokenizer package: load a tokenizer from GGUF metadata or a Hugging Face tokenizer.json and
// get a Tokenizer whose ids match llama.cpp's llama_tokenize / llama_detokenize.

export type { EncodeOptions, StreamDecoder, Tokenizer } from './tokenizer.js';
export { tokenizerFromGguf } from './ggufTokenizer.js';
export { tokenizerFromHuggingFace } from './huggingFaceTokenizer.js';
