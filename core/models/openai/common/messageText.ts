// Text bound for error messages: secrets (the API key, long extra-header values) replaced by
// "***", and bodies cut to a short one-line excerpt.

/** Replaces every secret in `text` by "***". */
export type Redact = (text: string) => string;

/** A redactor for the API key and the values of extra headers of 8 characters or more. */
export function redactorFor(apiKey: string | undefined, headers: Readonly<Record<string, string>>): Redact {
  const secrets = [apiKey, ...Object.values(headers)].filter((s): s is string => typeof s === 'string' && s.length >= 8);
  if (apiKey && apiKey.length < 8) secrets.push(apiKey);
  secrets.sort((a, b) => b.length - a.length);
  return (text) => secrets.reduce((out, secret) => out.split(secret).join('***'), text);
}

/** A short one-line excerpt of a response body. */
export function excerpt(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}...` : line;
}
