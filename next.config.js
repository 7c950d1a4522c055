/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // `BUNDLE_SOURCE_MAPS=1 npm run build`: the browser's chunks with source maps, for
  // `npm run budget:js -- --by-source` (which package the bytes come from). Off by default.
  productionBrowserSourceMaps: process.env.BUNDLE_SOURCE_MAPS === '1',
  // `npm test` type-checks the whole project (tests included) with tsc; doing it
  // again inside `next build` would only slow down `npm start` on a fresh clone.
  typescript: { ignoreBuildErrors: true },
  // Native and driver packages stay plain Node requires, never bundled.
  serverExternalPackages: ['better-sqlite3', 'pg', 'kysely'],
};

module.exports = nextConfig;
