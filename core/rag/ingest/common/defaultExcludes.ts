// What is left out of an index unless the user says otherwise, as gitignore patterns: version
// control and dependency folders, build outputs, lock files, minified bundles, and secrets.

/**
 * Excluded silently, below every .gitignore and .pinpointignore (a `!pattern` in either brings a
 * file back, as long as its folder is not excluded).
 */
export const DEFAULT_EXCLUDES: readonly string[] = [
  // Version control and editor state.
  '.git/', '.hg/', '.svn/', '.jj/', '.idea/', '.DS_Store', 'Thumbs.db',
  // Dependencies.
  'node_modules/', 'bower_components/', 'jspm_packages/', 'vendor/bundle/', '.pnpm-store/', '.yarn/',
  // Build outputs and caches.
  'dist/', 'build/', 'out/', 'target/', '.next/', '.nuxt/', '.svelte-kit/', '.turbo/', '.parcel-cache/',
  '.cache/', 'coverage/', '.nyc_output/', '__pycache__/', '.venv/', 'venv/', '.tox/', '.nox/',
  '.mypy_cache/', '.pytest_cache/', '.ruff_cache/', '.gradle/', '.eggs/', '*.egg-info/', '.terraform/',
  // Lock files.
  'package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'bun.lock',
  'Cargo.lock', 'poetry.lock', 'Pipfile.lock', 'uv.lock', 'composer.lock', 'Gemfile.lock', 'go.sum',
  'flake.lock', 'packages.lock.json', '*.lock',
  // Minified bundles and source maps.
  '*.min.js', '*.min.mjs', '*.min.css', '*-min.js', '*.bundle.js', '*.map',
];

/**
 * Files that usually hold secrets: never read, reported as skipped (reason "secret"). Matched
 * after the ignore rules; a `!pattern` in .gitignore or .pinpointignore does not bring them back —
 * set `excludeSecrets: false` or pass your own `secretPatterns` for that.
 */
export const DEFAULT_SECRET_PATTERNS: readonly string[] = [
  // Environment files.
  '.env', '.env.*', '*.env', '.envrc',
  // Keys, certificates with keys, keystores.
  '*.pem', '*.key', '*.p12', '*.pfx', '*.pkcs12', '*.jks', '*.keystore', '*.truststore', '*.ppk',
  '*.kdbx', '*.gpg', '*.asc', 'id_rsa*', 'id_dsa*', 'id_ecdsa*', 'id_ed25519*', '*.ovpn',
  // Credentials of tools.
  '.npmrc', '.yarnrc.yml', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.htpasswd', '.pgpass',
  '.dockercfg', '**/.docker/config.json', '**/.aws/credentials', '**/.kube/config', '.ssh/',
  // Data files named for what they hold (not source code such as credentials.ts).
  'credentials', 'secrets', '*.secret', '*.secrets', '*credentials.json', 'service-account*.json',
  ...['json', 'yml', 'yaml', 'toml', 'ini', 'txt', 'xml', 'csv', 'env'].flatMap((ext) => [`credentials.${ext}`, `secrets.${ext}`]),
  // Terraform state and variables.
  '*.tfstate', '*.tfstate.*', '*.tfvars',
];
