/**
 * The print host's socket (printer.ts): what a command gets from a print in the host is what it
 * would get printing itself: the PDF's bytes, the pages, a deck's broken slides as a
 * SlideRenderError naming them, a machine fault with its code; and a host that goes away mid-print
 * fails the print naming the deck instead of leaving it pending.
 */
import type { Printer } from './printer.ts'
import type { PrintedDeck, PrintOptions, PrintTarget } from './render.ts'
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { afterEach, describe, expect, it } from 'vitest'
import { isFault } from '../errors.ts'
import { connectPrinter, servePrinter } from './printer.ts'
import { NoExportRouteError, SlideRenderError } from './render.ts'

const dirs: string[] = []
const opened: Printer[] = []

afterEach(async () => {
  await Promise.all(opened.splice(0).map(p => p.close()))
  for (const d of dirs.splice(0))
    rmSync(d, { recursive: true, force: true })
})

/** A printer that answers from `answer` instead of a browser. */
function fake(answer: (target: PrintTarget, options: PrintOptions) => Promise<PrintedDeck>): Printer {
  return {
    print: answer,
    close: async () => {},
  }
}

/** Serves `printer` on a fresh socket and connects to it, as a command would. */
async function through(printer: Printer): Promise<Printer> {
  const dir = mkdtempSync(join(tmpdir(), 'talks-printer-'))
  dirs.push(dir)
  const socket = join(dir, 'p.sock')
  await servePrinter(printer, socket)
  const client = await connectPrinter(socket)
  opened.push(client)
  return client
}

const target = { origin: 'http://127.0.0.1:1', base: '/deck/' }

function deck(no: number): PrintedDeck {
  return {
    pdf: new Uint8Array([
      0x25,
      0x50,
      0x44,
      0x46,
      0x2D,
      no,
      0,
      255,
    ]),
    pages: [
      { no, click: 0 },
    ],
    slides: [
      { no, heading: `見出し ${no}` },
    ],
    width: 980,
    height: 551.25,
    pictures: {
      texts: [`slide ${no}`],
      prints: { 'og.png': 'x' },
      reused: no,
    },
  }
}

describe('printing through the print host', () => {
  it('gives each print its own PDF bytes and pages, prints at once included', async () => {
    const seen: string[] = []
    const client = await through(fake(async (t, o) => {
      seen.push(`${t.origin}${t.base} ${o.slug} ${o.pictures?.dir}`)
      // The first asked answers last.
      await new Promise(r => setTimeout(r, o.slug === 'a'
        ? 50
        : 0))
      return deck(o.slug === 'a'
        ? 1
        : 2)
    }))
    const [a, b] = await Promise.all([
      client.print(target, {
        slug: 'a',
        pictures: { dir: '/tmp/x', salt: 's' },
      }),
      client.print(target, { slug: 'b' }),
    ])
    expect(Buffer.from(a.pdf)).toEqual(Buffer.from(deck(1).pdf))
    expect(Buffer.from(b.pdf)).toEqual(Buffer.from(deck(2).pdf))
    expect(a).toMatchObject({
      pages: deck(1).pages,
      slides: deck(1).slides,
      width: 980,
      height: 551.25,
      pictures: deck(1).pictures,
    })
    expect(b.slides[0]!.heading).toBe('見出し 2')
    expect(seen).toEqual(['http://127.0.0.1:1/deck/ a /tmp/x', 'http://127.0.0.1:1/deck/ b undefined'])
  })

  it('fails a deck with broken slides as SlideRenderError naming them', async () => {
    const client = await through(fake(async () => {
      throw new SlideRenderError('ssmjp', [
        { slide: 4, cause: 'missing image /x.png (it did not load)' },
      ])
    }))
    const e = await client.print(target, { slug: 'ssmjp' }).catch((e: unknown) => e)
    expect(e).toBeInstanceOf(SlideRenderError)
    expect((e as SlideRenderError).problems).toEqual([
      { slide: 4, cause: 'missing image /x.png (it did not load)' },
    ])
    expect((e as Error).message).toBe('deck ssmjp: a slide failed to render, no PDF written\n  slide 4: missing image /x.png (it did not load)')
  })

  it('keeps a build without the export page and a machine fault what they are', async () => {
    const client = await through(fake(async (_t, o) => {
      if (o.slug === 'old')
        throw new NoExportRouteError('http://127.0.0.1:1/deck/export')
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
    }))
    const old = await client.print(target, { slug: 'old' }).catch((e: unknown) => e)
    expect(old).toBeInstanceOf(NoExportRouteError)
    expect((old as NoExportRouteError).url).toBe('http://127.0.0.1:1/deck/export')
    const full = await client.print(target, { slug: 'full' }).catch((e: unknown) => e)
    expect((full as NodeJS.ErrnoException).code).toBe('ENOSPC')
    expect(isFault(full)).toBe(true)
  })

  it('when the host stops, fails what its commands were printing naming the deck', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'talks-printer-'))
    dirs.push(dir)
    const socket = join(dir, 'p.sock')
    const stop = await servePrinter(fake(() => new Promise(() => {})), socket)
    const client = await connectPrinter(socket)
    opened.push(client)
    const printing = client.print(target, { slug: 'ssmjp' })
    // The request has reached the host before it stops.
    await new Promise(r => setTimeout(r, 100))
    stop()
    await expect(printing).rejects.toThrow('Browser has been closed while printing deck ssmjp')
  })

  it('fails a print naming the deck when the host goes away in the middle of it', async () => {
    // The host: a child process serving a printer that never answers, killed mid-print.
    const dir = mkdtempSync(join(tmpdir(), 'talks-printer-'))
    dirs.push(dir)
    const socket = join(dir, 'p.sock')
    const host = spawn(process.execPath, ['--input-type=module', '-e', `
      const { servePrinter } = await import(${JSON.stringify(join(import.meta.dirname, 'printer.ts'))})
      await servePrinter({ print: () => new Promise(() => {}), close: async () => {} }, ${JSON.stringify(socket)})
      process.send('listening')`], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    await new Promise(r => host.once('message', r))
    const client = await connectPrinter(socket)
    opened.push(client)
    const printing = client.print(target, { slug: 'ssmjp' })
    host.kill('SIGKILL')
    await expect(printing).rejects.toThrow('Browser has been closed while printing deck ssmjp')
    expect(isFault(await printing.catch((e: unknown) => e))).toBe(true)
    // And a print asked for afterwards fails at once the same way.
    await expect(client.print(target, { slug: 'next' })).rejects.toThrow('Browser has been closed while printing deck next')
  })
})
