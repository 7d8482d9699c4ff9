/**
 * Mounting helpers for the component tests (not a component). Slidev's `v-click` is replaced by a stub
 * that follows Slidev's rule for the value (false: no click step) and records the order of steps.
 */
import type { Component, Directive } from 'vue'
import { mount } from '@vue/test-utils'

export function clickStub(): Directive<Element, unknown> {
  let order = 0
  return {
    mounted(el, binding) {
      if (binding.value !== false && binding.value !== 'false')
        el.setAttribute('data-test-click', String(++order))
    },
  }
}

export function mountDiagram(component: Component, props: Record<string, unknown> = {}, options: { provide?: Record<string, unknown> } = {}) {
  return mount(component, {
    props,
    global: {
      directives: {
        click: clickStub(),
      },
      provide: options.provide,
    },
  })
}

type Wrapper = ReturnType<typeof mountDiagram>

/** Names of the parts (data-part) that appear on a click, in click order. */
export function steppedParts(wrapper: Wrapper): string[] {
  return wrapper.findAll('[data-part][data-test-click]')
    .sort((a, b) => Number(a.attributes('data-test-click')) - Number(b.attributes('data-test-click')))
    .map(w => w.attributes('data-part')!)
}

export function parts(wrapper: Wrapper): string[] {
  return wrapper.findAll('[data-part]').map(w => w.attributes('data-part')!)
}

/** The accessible name of the diagram: role="img" with aria-label, mirrored in <title>. */
export function accessibleName(wrapper: Wrapper): string {
  const svg = wrapper.find('svg[role="img"]')
  const label = svg.attributes('aria-label') ?? ''
  const title = svg.find('title').text()
  if (label !== title)
    throw new Error(`aria-label and <title> differ: "${label}" vs "${title}"`)
  return label
}

/** All text drawn in the diagram, line by line (each <tspan> or bare <text>). */
export function textLines(wrapper: Wrapper): string[] {
  return wrapper.findAll('text').flatMap((t) => {
    const spans = t.findAll('tspan')
    return spans.length
      ? spans.map(s => s.text())
      : [
          t.text(),
        ]
  })
}

export function boxes(wrapper: Wrapper) {
  return wrapper.findAll('.diagram-box').map(b => ({
    text: b.findAll('tspan').map(s => s.text()),
    tone: b.attributes('data-tone'),
    emphasis: b.attributes('data-emphasis') === 'true',
  }))
}
