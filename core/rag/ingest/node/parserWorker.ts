// Entry of a parser worker thread (started by ParserPool): loads the parsers, then serves parse
// requests with parseFile (ParserPool starts a file's time limit once the worker says it is ready).

import { parseFile, preloadParsers } from './parseFile.js';
import { serveParseRequests } from './parserWorkerMain.js';

// Without pdf.js or mammoth, code and text still parse; PDFs and DOCX then fail with the reason.
await preloadParsers().catch(() => undefined);
serveParseRequests(parseFile);
