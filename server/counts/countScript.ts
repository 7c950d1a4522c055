import path from 'node:path';
import { createHostScriptHandler } from '../embed/embedScript';

export const COUNT_SCRIPT_PATH = '/count.js';

/** Serves server/counts/count.js as /embed.js is served: minified once, any site may load it, revalidated by ETag. */
export const createCountScriptHandler = () => createHostScriptHandler(path.join(__dirname, 'count.js'));
