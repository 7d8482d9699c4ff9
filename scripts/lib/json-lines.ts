/**
 * One JSON message per line over a stream: how the build server (slidev-build-worker.ts) and the
 * commands connected to it (slidev-build.ts) talk. Kept apart so the command reads its replies
 * without loading the worker, which loads Slidev on import.
 */
import type { Socket } from 'node:net'

/** Calls `onMessage` for each complete line `socket` delivers after `rest` (text already read from it). */
export function onJsonLines<T>(socket: Socket, onMessage: (message: T) => void, rest = ''): void {
  let buffer = rest
  const drain = () => {
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      onMessage(JSON.parse(line) as T)
    }
  }
  socket.setEncoding('utf8')
  socket.on('data', (chunk: string) => {
    buffer += chunk
    drain()
  })
  drain()
}

/** Writes one message as a line; `done` runs once it is handed to the system. */
export function writeJsonLine(socket: Socket, message: unknown, done?: () => void): void {
  socket.write(`${JSON.stringify(message)}\n`, done)
}
