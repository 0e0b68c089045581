// The prompts the llama.cpp fixtures are generated from: varied on purpose (empty, one token,
// leading and trailing spaces, punctuation, digits, Unicode outside the model's 512-token vocab
// so byte fallback runs, special-token text, long), each named by what it exercises.

/** One fixture prompt. */
export interface FixturePrompt {
  /** Short stable name, unique in the list. */
  name: string;
  /** The prompt text, tokenized as llama.cpp's completion does (BOS per vocab, specials parsed). */
  text: string;
}

const LONG_STORY =
  'Once upon a time, in a small town near the sea, there lived a girl named Mia. Every morning she ' +
  'walked to the beach with her dog, Max, to look for shells. One day she found a big blue shell that ' +
  'was shiny and round. She showed it to her mom, who smiled and said, "That is a very special shell. ' +
  'Keep it safe." Mia put the shell on her window, and every night it glowed like a little moon.';

/** Prompts for stories260K: 28, each generated for 128 greedy tokens. */
export const STORIES_PROMPTS: readonly FixturePrompt[] = [
  { name: 'empty', text: '' }, // BOS alone: a prompt of one token
  { name: 'once-upon-a-time', text: 'Once upon a time' },
  { name: 'one-word', text: 'Once' },
  { name: 'one-letter', text: 'a' },
  { name: 'one-char-x', text: 'x' },
  { name: 'the', text: 'The' },
  { name: 'leading-space', text: ' Lily was' },
  { name: 'three-leading-spaces', text: '   The cat' },
  { name: 'trailing-space', text: 'The dog ran ' },
  { name: 'only-spaces', text: '  ' },
  { name: 'two-sentences', text: 'Lily and Ben went to the park. They saw a big dog.' },
  { name: 'long-story', text: LONG_STORY },
  { name: 'punctuation', text: 'What?! No... Yes; maybe: (ok) [fine] {sure} - done.' },
  { name: 'quotes', text: 'Tom said, "Let\'s go to the park!"' },
  { name: 'digits', text: '1234567890' },
  { name: 'digits-in-text', text: 'In 2023, 7 cats ate 42 fish and 3.5 cakes.' },
  { name: 'latin-accents', text: 'café naïve résumé' },
  { name: 'japanese', text: '日本語のテキスト' },
  { name: 'cyrillic', text: 'Ёжик в тумане' },
  { name: 'emoji', text: 'The sun 🙂 and the rocket 🚀' },
  { name: 'newlines', text: 'Line one.\nLine two.\n' },
  { name: 'tab', text: '\tThe bird\tsang' },
  { name: 'special-token-text', text: '<s>Once upon a time</s> there was' },
  { name: 'all-caps', text: 'THE BIG RED BALL' },
  { name: 'repetition', text: 'the the the the the' },
  { name: 'because', text: 'She was happy because' },
  { name: 'dragon', text: 'Once upon a time there was a dragon who' },
  { name: 'mixed-case-code', text: 'function add(a, b) { return a + b; }' },
];

/** The fixed prompt of the synthetic models: at least 8 ids with BOS, so logits cover 8 positions. */
export const SYNTHETIC_PROMPT: FixturePrompt = { name: 'synthetic', text: 'Once upon a time, a small cat found a red ball.' };
