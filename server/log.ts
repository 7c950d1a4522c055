export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

export const consoleLogger: Logger = {
  info: (m) => console.log(`[threadline] ${m}`),
  warn: (m) => console.warn(`[threadline] warning: ${m}`),
  error: (m, err) => console.error(`[threadline] error: ${m}`, ...(err === undefined ? [] : [err])),
};

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
