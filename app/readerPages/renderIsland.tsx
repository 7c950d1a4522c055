import { renderToString } from 'react-dom/server';
import { bodiesInMarkup, islandJson, type ThreadIslandData } from '../islands/islandData';
import { ThreadIsland } from '../islands/ThreadIsland';

/**
 * The thread island as the page carries it: its HTML (a React root of its own, as the browser hydrates it)
 * and its data, without the comments' HTML that the HTML already shows (the browser reads it back from there).
 */
export function renderThreadIsland(data: ThreadIslandData): { html: string; json: string } {
  const html = renderToString(<ThreadIsland data={data} />);
  return { html, json: islandJson(data, bodiesInMarkup(html)) };
}
