// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import AbstractionGradient from './AbstractionGradient.vue'
import CostFloor from './CostFloor.vue'
import DbaasAxes from './DbaasAxes.vue'
import EventPipeline from './EventPipeline.vue'
import OrchestrationChoreography from './OrchestrationChoreography.vue'
import ServerlessViewpoints from './ServerlessViewpoints.vue'
import SharedSchema from './SharedSchema.vue'
import { accessibleName, boxes, mountDiagram, parts, steppedParts, textLines } from './test-utils.ts'

describe('serverlessViewpoints', () => {
  it('shows the centre and the three viewpoints with Japanese defaults', () => {
    const w = mountDiagram(ServerlessViewpoints)
    expect(parts(w)).toEqual([
      'center',
      'managed',
      'programming',
      'event',
    ])
    const lines = textLines(w)
    expect(lines).toContain('フルマネージドサービス')
    expect(lines).toContain('プログラミングモデル')
    // Long labels are split explicitly, never mid-word.
    expect(lines).toEqual(expect.arrayContaining(['イベントドリブン', 'アーキテクチャ']))
    expect(accessibleName(w)).toMatch(/^サーバーレスを捉える三つの観点: .*イベントドリブンアーキテクチャ$/)
    expect(steppedParts(w)).toEqual([])
  })

  it('highlights one viewpoint and mutes the others', () => {
    const w = mountDiagram(ServerlessViewpoints, { highlight: 'programming' })
    const b = boxes(w).slice(1)
    expect(b.map(x => x.emphasis)).toEqual([false, true, false])
    expect(b.map(x => x.tone)).toEqual(['muted', 'success', 'muted'])
    expect(accessibleName(w)).toContain('プログラミングモデルを強調')
  })

  it('reveals each viewpoint on its own click, the centre first', () => {
    expect(steppedParts(mountDiagram(ServerlessViewpoints, { step: true }))).toEqual(['managed', 'programming', 'event'])
  })

  it('takes labels and the accessible name from props', () => {
    const w = mountDiagram(ServerlessViewpoints, {
      labels: {
        managed: { title: 'マネージド' },
      },
      title: '別の説明',
    })
    expect(textLines(w)).toContain('マネージド')
    expect(textLines(w)).toContain('サーバーの運用を手放し')
    expect(accessibleName(w)).toBe('別の説明')
  })
})

describe('orchestrationChoreography', () => {
  it('shows both panels by default, one with a mode', () => {
    expect(parts(mountDiagram(OrchestrationChoreography))).toEqual([
      'orchestrator',
      'orchestration-services',
      'bus',
      'choreography-services',
    ])
    const o = mountDiagram(OrchestrationChoreography, { mode: 'orchestration' })
    expect(parts(o)).toEqual(['orchestrator', 'orchestration-services'])
    expect(accessibleName(o)).toMatch(/^オーケストレーション: オーケストレーターが注文・決済・配送を順に呼び出す$/)
    const c = mountDiagram(OrchestrationChoreography, { mode: 'choreography' })
    expect(parts(c)).toEqual(['bus', 'choreography-services'])
    expect(textLines(c)).toEqual(expect.arrayContaining(['イベントバス', '発行', '購読', '注文', '決済', '配送']))
  })

  it('steps through the parts after the first', () => {
    expect(steppedParts(mountDiagram(OrchestrationChoreography, { step: true }))).toEqual(['orchestration-services', 'bus', 'choreography-services'])
    expect(steppedParts(mountDiagram(OrchestrationChoreography, { step: true, mode: 'choreography' }))).toEqual(['choreography-services'])
  })

  it('names services from props', () => {
    const w = mountDiagram(OrchestrationChoreography, {
      labels: {
        services: ['受付', '在庫', '出荷'],
      },
    })
    expect(textLines(w)).toEqual(expect.arrayContaining(['受付', '在庫', '出荷']))
    expect(accessibleName(w)).toContain('受付・在庫・出荷')
  })
})

describe('abstractionGradient', () => {
  it('orders container → function → DSL → config above the freedom/abstraction arrow', () => {
    const w = mountDiagram(AbstractionGradient)
    expect(parts(w)).toEqual([
      'container',
      'function',
      'dsl',
      'config',
      'gradient',
    ])
    expect(boxes(w).map(b => b.text[0])).toEqual(['コンテナ', '関数', 'DSL', '設定'])
    expect(textLines(w)).toEqual(expect.arrayContaining(['自由度が高い', '抽象度が高い', 'Step Functions']))
    expect(w.find('linearGradient').attributes('id')).toMatch(/^talk-gradient-/)
    expect(accessibleName(w)).toContain('コンテナ、関数、DSL、設定の順に')
  })

  it('highlights one stage', () => {
    const w = mountDiagram(AbstractionGradient, { highlight: 'dsl' })
    expect(boxes(w).map(b => b.emphasis)).toEqual([false, false, true, false])
    expect(boxes(w).filter(b => b.tone === 'muted')).toHaveLength(3)
  })

  it('steps stage by stage, then the arrow', () => {
    expect(steppedParts(mountDiagram(AbstractionGradient, { step: true }))).toEqual([
      'function',
      'dsl',
      'config',
      'gradient',
    ])
  })
})

describe('eventPipeline', () => {
  it('has source, filter, enrich, target, retry and DLQ', () => {
    const w = mountDiagram(EventPipeline)
    expect(parts(w)).toEqual([
      'source',
      'filter',
      'enrich',
      'target',
      'retry',
      'dlq',
    ])
    expect(textLines(w)).toEqual(expect.arrayContaining([
      'EventBridge Pipes',
      'フィルタリング',
      'エンリッチ・変換',
      '失敗したら再試行',
      'デッドレターキュー',
    ]))
    expect(accessibleName(w)).toMatch(/^イベントパイプライン: ソース、フィルタリング、エンリッチ・変換、ターゲットの順に/)
  })

  it('steps through every part after the source', () => {
    expect(steppedParts(mountDiagram(EventPipeline, { step: true }))).toEqual([
      'filter',
      'enrich',
      'target',
      'retry',
      'dlq',
    ])
  })

  it('takes stage labels from props', () => {
    const w = mountDiagram(EventPipeline, {
      labels: {
        pipe: 'パイプ',
        target: { title: '宛先' },
      },
    })
    expect(textLines(w)).toEqual(expect.arrayContaining(['パイプ', '宛先', 'Step Functions']))
  })
})

describe('dbaasAxes', () => {
  it('names the 2024 talk\'s axes and examples by default', () => {
    const w = mountDiagram(DbaasAxes)
    expect(parts(w)).toEqual(['protocol', 'compute', 'storage'])
    expect(textLines(w)).toEqual(expect.arrayContaining([
      'プロトコル',
      'コンピュート',
      'ストレージ',
      'PostgreSQL',
      'Google Cloud Spanner',
      'オブジェクトストレージを直接クエリ',
      'Amazon Athena',
    ]))
    expect(accessibleName(w)).toMatch(/^DBaaS を三つの軸で見る: プロトコル（既存の OSS データベースとプロトコル互換。例: PostgreSQL、MySQL、MongoDB）/)
  })

  it('names examples without ranking them: in the order given, evenly spaced, on no scale', () => {
    const w = mountDiagram(DbaasAxes)
    // No arrow or scale under the examples, so nothing reads as "further along".
    expect(w.findAll('.diagram-arrow')).toHaveLength(0)
    const chips = (part: string) => w.find(`[data-part="${part}"]`).findAll('.diagram-box').slice(1).map(b => ({
      label: b.findAll('tspan').map(s => s.text()).join(''),
      x: Number(b.find('rect').attributes('x')),
      w: Number(b.find('rect').attributes('width')),
    }))
    const protocol = chips('protocol')
    expect(protocol.map(c => c.label)).toEqual(['PostgreSQL', 'MySQL', 'MongoDB'])
    // Each chip starts a fixed gap after the previous one ends: spacing says nothing about the product.
    const gaps = protocol.slice(1).map((c, i) => c.x - (protocol[i]!.x + protocol[i]!.w))
    expect(new Set(gaps).size).toBe(1)
    // Athena is named alongside the others that query object storage directly, first as in the talk.
    expect(chips('storage').map(c => c.label)).toEqual(['Amazon Athena', 'BigQuery Omni', 'DuckDB'])
  })

  it('highlights one axis', () => {
    const w = mountDiagram(DbaasAxes, { highlight: 'storage' })
    expect(boxes(w).filter(b => b.emphasis).map(b => b.text[0])).toEqual(['ストレージ'])
    expect(accessibleName(w)).toContain('ストレージを強調')
  })

  it('steps axis by axis and accepts replacement axes, keeping their order', () => {
    expect(steppedParts(mountDiagram(DbaasAxes, { step: true }))).toEqual(['compute', 'storage'])
    const w = mountDiagram(DbaasAxes, {
      labels: {
        storage: {
          name: '保存',
          detail: '',
          point: '置き場所',
          examples: ['S3', 'GCS'],
        },
      },
    })
    expect(textLines(w)).toEqual(expect.arrayContaining(['保存', '置き場所', 'S3', 'GCS']))
    expect(accessibleName(w)).toContain('保存（置き場所。例: S3、GCS）')
  })
})

describe('costFloor', () => {
  it('shows the floor chart and the wide-and-thin picture', () => {
    const w = mountDiagram(CostFloor)
    expect(parts(w)).toEqual([
      'floor',
      'per-request',
      'platform',
      'tenants',
    ])
    expect(w.findAll('.diagram-tenant')).toHaveLength(9)
    expect(textLines(w)).toEqual(expect.arrayContaining([
      '常にかかる固定費の床',
      'リクエストごとの',
      '従量課金',
      '共有の床',
    ]))
  })

  it('has floor and wide-thin variants, with tenants from props', () => {
    expect(parts(mountDiagram(CostFloor, { variant: 'floor' }))).toEqual(['floor', 'per-request'])
    const wt = mountDiagram(CostFloor, {
      variant: 'wide-thin',
      tenants: [1, 1, 1],
    })
    expect(parts(wt)).toEqual(['platform', 'tenants'])
    expect(wt.findAll('.diagram-tenant')).toHaveLength(3)
    expect(accessibleName(wt)).toMatch(/^広く薄く: /)
  })

  it('steps after the floor', () => {
    expect(steppedParts(mountDiagram(CostFloor, { step: true }))).toEqual(['per-request', 'platform', 'tenants'])
    expect(steppedParts(mountDiagram(CostFloor, { step: true, variant: 'wide-thin' }))).toEqual(['tenants'])
  })
})

describe('sharedSchema', () => {
  it('contrasts a shared TypeScript schema with generated code', () => {
    const w = mountDiagram(SharedSchema)
    expect(parts(w)).toEqual([
      'shared-schema',
      'shared-users',
      'generated-schema',
      'generated-code',
    ])
    expect(textLines(w)).toEqual(expect.arrayContaining([
      '共有スキーマ',
      'フロントエンド',
      'バックエンド',
      'import',
      'コード生成',
      '.graphql・.proto',
    ]))
    expect(accessibleName(w)).toContain('tRPC')
    expect(accessibleName(w)).toContain('GraphQL・gRPC')
  })

  it('has shared and generated variants and steps after the first schema', () => {
    expect(parts(mountDiagram(SharedSchema, { variant: 'generated' }))).toEqual(['generated-schema', 'generated-code'])
    expect(steppedParts(mountDiagram(SharedSchema, { step: true }))).toEqual(['shared-users', 'generated-schema', 'generated-code'])
    expect(steppedParts(mountDiagram(SharedSchema, { step: true, variant: 'shared' }))).toEqual(['shared-users'])
  })
})
