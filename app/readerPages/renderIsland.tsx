import { renderToString } from 'react-dom/server';
import { islandJson, type ThreadIslandData } from '../islands/islandData';
import { ThreadIsland } from '../islands/ThreadIsland';

/** The thread island as the page carries it: its HTML (a React root of its own, as the browser hydrates it) and its data. */
export function renderThreadIsland(data: ThreadIslandData): { html: string; json: string } {
  return { html: renderToString(<ThreadIsland data={data} />), json: islandJson(data) };
}
