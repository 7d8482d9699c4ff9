import type { AddressInfo } from 'node:net'
import type { NavPosition } from './nav-feed.ts'
import { createServer } from 'node:http'
import { describe, expect, it } from 'vitest'
import { NavFeed, parseNavModule } from './nav-feed.ts'

function module(state: unknown) {
  return [
    'import { reactive, watch } from "/@fs/x/vue.js"',
    `const data = reactive(${JSON.stringify(state)})`,
    'let onSet = []',
  ].join('\n')
}

describe('parseNavModule', () => {
  it('reads the slide and click numbers from Slidev\'s nav module, nothing else', () => {
    expect(parseNavModule(module({
      page: 3,
      clicks: 2,
      timer: { status: 'running' },
      lastUpdate: { id: 'x' },
    }))).toEqual({ page: 3, clicks: 2 })
    expect(parseNavModule(module({ page: 4 }))).toEqual({ page: 4, clicks: 0 })
  })

  it('is undefined before anyone presented, and for anything unexpected', () => {
    expect(parseNavModule(module({ page: 0, clicks: 0 }))).toBeUndefined()
    expect(parseNavModule(module({ page: '3' }))).toBeUndefined()
    expect(parseNavModule('export default 1')).toBeUndefined()
    expect(parseNavModule('const data = reactive({broken)')).toBeUndefined()
  })
})

describe('navFeed', () => {
  it('streams the position to every viewer when it changes, and the current one on connect', async () => {
    let position: NavPosition | undefined = { page: 2, clicks: 0 }
    const feed = new NavFeed({
      read: async () => position,
    })
    const server = createServer((_req, res) => feed.subscribe(res))
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    try {
      await feed.poll()
      const controller = new AbortController()
      const res = await fetch(url, { signal: controller.signal })
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
      const reader = res.body!.getReader()
      let text = ''
      const until = async (s: string) => {
        while (!text.includes(s))
          text += new TextDecoder().decode((await reader.read()).value)
      }
      await until('"page":2')
      await feed.poll()
      position = { page: 3, clicks: 1 }
      await feed.poll()
      await until('"page":3')
      expect(text.split('\n').filter(l => l.startsWith('data:'))).toEqual([
        'data: {"page":2,"clicks":0}',
        'data: {"page":3,"clicks":1}',
      ])
      expect(feed.size).toBe(1)
      controller.abort()
    }
    finally {
      feed.stop()
      server.closeAllConnections()
      await new Promise(r => server.close(r))
    }
  })
})
