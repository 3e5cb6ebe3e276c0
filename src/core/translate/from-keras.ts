// Keras (Sequential / functional) -> PyTorch, from the IR: the Keras runtime's layer list
// or functional graph, each layer's bound arguments and the shapes Keras would see.
// Emits nn.Sequential when the source is a plain chain that maps 1:1 onto modules, else an
// nn.Module class whose forward() follows the graph, with layout changes made explicit.

import type { DetailedAnalysis } from '../analyze';
import { type InstanceV, type TensorV, type Value, tensor } from '../eval/values';
import { LayerArgs } from '../frameworks/spec';
import type { KerasRuntime } from '../frameworks/keras/runtime';
import type { ModelSummary } from '../summary/types';
import type { Shape } from '../shapes/dim';
import { KERAS_TO_TORCH, type KerasToTorchCtx, type Layout, type TorchStep, torchAxis } from './mappings/keras-to-torch';
import { UNKNOWN_EXAMPLE_DIM, exampleMain, freezeModule, translateKerasSubclassed } from './from-keras-subclassed';
import { opExpression, opKey } from './mappings/keras-ops-to-torch';
import { camelCase, permCfToCl, permClToCf, pyIdent, pyTuple } from './pyfmt';
import type { TranslationMeta, TranslationNote, TranslationResult } from './types';

interface GNode {
  layer: InstanceV;
  /** Producer of each input: an input index ('in', i) or a node output (node index, output index). */
  ins: Array<{ from: 'in'; i: number } | { from: 'node'; n: number; idx: number }>;
  inShapes: Array<Shape | null>;
  outShape: Shape | null;
  /** The recorded call's arguments (functional graphs), for weightless op nodes. */
  args?: Value[];
  kwargs?: Map<string, Value>;
}

interface TorchVar { name: string; layout: Layout; rank: number }

const HELPERS: Record<string, string> = {
  Normalization: `class Normalization(nn.Module):
    """Keras Normalization: (x - mean) / sqrt(var), with the statistics as buffers (set them from your data)."""

    def __init__(self, num_features, eps=1e-7):
        super().__init__()
        self.register_buffer("mean", torch.zeros(num_features))
        self.register_buffer("var", torch.ones(num_features))
        self.eps = eps

    def forward(self, x):
        return (x - self.mean) / torch.sqrt(torch.clamp(self.var, min=self.eps))
`,
};

export interface KerasToTorchOptions {
  /** Leave out the model's final softmax / sigmoid (the translated loss takes logits). */
  dropFinal?: 'softmax' | 'sigmoid';
}

export function translateKerasToTorch(d: DetailedAnalysis, summary: ModelSummary, inst: InstanceV, opts: KerasToTorchOptions = {}): TranslationResult {
  const keras = d.runtimes!.keras;
  const st = keras.state(inst);
  const notes: TranslationNote[] = [];
  const modelLine = summary.line;
  if (st.kind === 'subclassed') return translateKerasSubclassed(d, summary, inst, opts);
  let dropped: 'softmax' | 'sigmoid' | undefined;
  const graph = buildGraph(keras, st, summary);
  const inputs = graph.inputs;

  // Consumers per produced value, to decide which values may live in a reused `x`.
  const key = (p: GNode['ins'][number]) => (p.from === 'in' ? `in${p.i}` : `n${p.n}.${p.idx}`);
  const uses = new Map<string, number[]>();
  graph.nodes.forEach((n, ni) => n.ins.forEach((p) => uses.set(key(p), [...(uses.get(key(p)) ?? []), ni])));
  for (const o of graph.outputs) uses.set(key(o), [...(uses.get(key(o)) ?? []), -1]);

  const ruleOf = (n: GNode) => KERAS_TO_TORCH[n.layer.layer?.spec.name ?? ''];
  const inputNames = inputs.map((t, i) => pyIdent(t.name ?? (inputs.length === 1 ? 'x' : `input_${i + 1}`)));
  const vars = new Map<string, TorchVar>();
  inputs.forEach((t, i) => {
    const rank = t.shape?.length ?? 2;
    const first = graph.nodes.find((n) => n.ins.some((p) => p.from === 'in' && p.i === i));
    const wants = first ? ruleOf(first)?.wants : undefined;
    vars.set(`in${i}`, { name: inputNames[i], layout: rank >= 3 && wants === 'cf' ? 'cf' : 'cl', rank });
  });

  const modules: Array<{ attr: string; ctor: string; todos: string[] }> = [];
  const lines: string[] = [];
  const helpers = new Set<string>();
  const usedAttrs = new Set<string>();
  const sharedAttrs = new Map<InstanceV, Array<string | undefined>>();
  const takenVars = new Set<string>(inputNames);
  let sequentialOk = st.kind === 'sequential' && inputs.length === 1;

  graph.nodes.forEach((n, ni) => {
    const spec = n.layer.layer?.spec;
    const type = spec?.name ?? n.layer.cls.name;
    const name = keras.state(n.layer).name || type.toLowerCase();
    const line = (n.layer.node?.line ?? modelLine - 1) + 1;
    const rule = keras.isOpNode(n.layer) ? undefined : KERAS_TO_TORCH[type];
    const todos: string[] = [];
    // A layer called again (shared weights): its modules are those of its first call, and its notes were given then.
    const shared = sharedAttrs.get(n.layer);
    // The layout the first input arrives in (as below, where the inputs are converted).
    const first = n.ins[0] ? vars.get(key(n.ins[0])) : undefined;
    const wantsIn = rule?.wants ?? 'any';
    const inLayout: Layout | undefined = first && first.rank >= 3 ? (wantsIn === 'any' ? first.layout : wantsIn) : undefined;
    const ctx: KerasToTorchCtx = {
      a: new LayerArgs(n.layer.layer?.args ?? new Map(), type),
      inShapes: n.inShapes, outShape: n.outShape, name,
      note: (message, paramDelta) => {
        if (!shared) notes.push({ line, message, ...(paramDelta ? { paramDelta } : {}) });
      },
      todo: (message) => {
        if (shared) return;
        todos.push(message);
        notes.push({ line, message: `TODO: ${message}` });
      },
      wrapped: (v: Value) => (v.k === 'instance' && v.layer ? { type: v.layer.spec.name, a: new LayerArgs(v.layer.args, v.layer.spec.name) } : undefined),
      layerClass: n.layer.cls,
      inLayout,
    };
    let steps: TorchStep[];
    const opExpr = keras.isOpNode(n.layer) ? opExpression(opKey(n.layer.cls.name, name), n.args ?? [], n.kwargs ?? new Map()) : undefined;
    if (opExpr) steps = [{ expr: opExpr.expr }];
    else if (keras.isOpNode(n.layer)) {
      ctx.todo(`${name}: the operation ${type} has no PyTorch mapping here; its first input is passed through`);
      steps = [{ expr: '$0' }];
    } else if (!rule || !spec) {
      ctx.todo(`${name}: ${type} has no PyTorch mapping; replaced by nn.Identity()`);
      steps = [{ module: 'nn.Identity()' }];
    } else steps = rule.steps(ctx);
    if (type === 'Normalization') helpers.add('Normalization');
    // The loss takes logits: the model's last softmax / sigmoid is left out.
    const isOutput = graph.outputs.length === 1 && key(graph.outputs[0]) === `n${ni}.0`;
    const lastStep = steps[steps.length - 1];
    const actRe = opts.dropFinal === 'softmax' ? /^nn\.Softmax\(/ : opts.dropFinal === 'sigmoid' ? /^nn\.Sigmoid\(/ : null;
    if (isOutput && actRe && lastStep && 'module' in lastStep && actRe.test(lastStep.module) && (lastStep.suffix === 'act' || steps.length === 1)) {
      steps = steps.slice(0, -1);
      dropped = opts.dropFinal;
      notes.push({ line, message: `${name}: the final ${opts.dropFinal} is dropped — the PyTorch loss takes logits (${opts.dropFinal === 'softmax' ? 'nn.CrossEntropyLoss' : 'nn.BCEWithLogitsLoss'}); apply torch.${opts.dropFinal}(model(x)${opts.dropFinal === 'softmax' ? ', dim=-1' : ''}) to get Keras' probabilities` });
    }
    // trainable=False (in the constructor or set afterwards): the torch parameters stop training too.
    if (!keras.state(n.layer).trainable && steps.some((s) => 'module' in s)) {
      steps = steps.map((s) => ('module' in s ? { ...s, module: freezeModule(s.module) } : s));
      if (!shared) notes.push({ line, message: `${name} is frozen (trainable=False): requires_grad_(False) on its PyTorch parameters${type === 'BatchNormalization' ? '; Keras also runs a frozen BatchNormalization in inference mode — call .eval() on it in PyTorch' : ''}` });
    }

    // Inputs, converted to the layout the torch steps need.
    const ins = n.ins.map((p) => vars.get(key(p)) ?? { name: 'None', layout: 'cl' as Layout, rank: 2 });
    const wants = opExpr?.wants ?? rule?.wants ?? 'any';
    const target: Layout | undefined = wants === 'any' ? (ins.find((v) => v.rank >= 3)?.layout ?? 'cl') : wants;
    let exprs = ins.map((v) => {
      if (v.rank < 3 || v.layout === target) return v.name;
      sequentialOk = false;
      const perm = target === 'cf' ? permClToCf(v.rank) : permCfToCl(v.rank);
      return `${v.name}.permute${pyTuple(perm)}`;
    });
    const rank0 = ins[0]?.rank ?? 2;
    const layoutIn: Layout = rank0 >= 3 ? target ?? 'cl' : 'cl';
    const stepAttrs: Array<string | undefined> = [];
    for (const [si, step] of steps.entries()) {
      let expr: string;
      if ('module' in step) {
        let attr = shared?.[si];
        if (attr === undefined) {
          attr = pyIdent(step.suffix && steps.filter((s) => 'module' in s).length > 1 ? `${name}_${step.suffix}` : name);
          while (usedAttrs.has(attr)) attr += '_';
          usedAttrs.add(attr);
          modules.push({ attr, ctor: step.module, todos: si === 0 ? todos : [] });
          stepAttrs[si] = attr;
        } else sequentialOk = false;
        if (step.call) sequentialOk = false;
        expr = (step.call ?? '$m($0)').replace(/\$m/g, `self.${attr}`);
      } else {
        sequentialOk = false;
        expr = step.expr;
      }
      expr = expr.replace(/\{axis:(-?\d+)\}/g, (_m, a: string) => String(torchAxis(Number(a), rank0, layoutIn)));
      expr = expr.replace(/\$(\d+)/g, (_m, i: string) => exprs[Number(i)] ?? 'None');
      exprs = [expr];
    }
    const outRank = n.outShape?.length ?? rank0;
    const gives = opExpr?.wants ?? rule?.gives ?? 'same';
    const layout: Layout = outRank < 3 ? 'cl' : gives === 'same' ? layoutIn : gives;
    const consumers = uses.get(`n${ni}.0`) ?? [];
    // `x` is reused for a value read only by the next node, unless the value `x` holds now is read later.
    const xStillNeeded = [...vars.entries()].some(([k, v]) => v.name === 'x' && (uses.get(k) ?? []).some((u) => u === -1 || u > ni));
    let varName = !xStillNeeded && consumers.length === 1 && consumers[0] === ni + 1 && graph.nodes[ni + 1].ins.length === 1 ? 'x' : pyIdent(name === 'x' ? 'x_' : name);
    // Each value its own name (a shared layer's calls have the layer's name twice); `x` is reused on purpose.
    if (varName !== 'x') {
      const base = varName;
      for (let k = 2; takenVars.has(varName); k++) varName = `${base}_${k}`;
      takenVars.add(varName);
    }
    if (!shared) sharedAttrs.set(n.layer, stepAttrs);
    // A node translated without a module (an operation passed through) keeps its TODOs in forward().
    if (!steps.some((s) => 'module' in s)) for (const t of todos) lines.push(`# TODO(tensorlens): ${t}`);
    lines.push(`${varName} = ${exprs[0]}`);
    vars.set(`n${ni}.0`, { name: varName, layout, rank: outRank });
  });

  const outVars = graph.outputs.map((o) => vars.get(key(o)) ?? { name: 'None', layout: 'cl' as Layout, rank: 2 });
  for (const o of outVars) if (o.rank >= 3 && o.layout === 'cf') notes.push({ line: modelLine, message: `The output is channels-first (${o.rank === 4 ? 'N, C, H, W' : 'N, C, ...'}) where Keras gives channels-last; permute with .permute${pyTuple(permCfToCl(o.rank))} to compare` });

  // Inputs and how to feed them.
  const meta: TranslationMeta = { modelVar: pyIdent(summary.name), inputs: [], paramDelta: 0 };
  inputs.forEach((t, i) => {
    const v = vars.get(`in${i}`)!;
    const shape = (t.shape ?? []).map((dd, j) => (j === 0 ? 1 : typeof dd === 'number' ? dd : UNKNOWN_EXAMPLE_DIM));
    const torchShape = v.layout === 'cf' && shape.length >= 3 ? permClToCf(shape.length).map((j) => shape[j]) : shape;
    const emb = graph.nodes.find((n) => n.ins.some((p) => p.from === 'in' && p.i === i) && n.layer.layer?.spec.name === 'Embedding');
    // An input read by an Embedding holds token ids, whatever its declared dtype (Keras casts them; nn.Embedding needs integers).
    const isInt = /int/.test(t.dtype) || emb !== undefined;
    const high = emb ? new LayerArgs(emb.layer.layer!.args, 'Embedding').int('input_dim') ?? 100 : 100;
    meta.inputs.push({ name: v.name, shape: torchShape, dtype: isInt ? 'int64' : 'float32', ...(isInt ? { high } : {}) });
    const keep = t.shape ? pyTuple(t.shape.map((dd, j) => (j === 0 ? 'N' : typeof dd === 'number' ? dd : '?'))) : '?';
    if (v.layout === 'cf' && shape.length >= 3) notes.push({ line: modelLine, message: `Input ${v.name}: Keras takes ${keep} channels-last; the PyTorch model takes channels-first ${pyTuple(['N', ...torchShape.slice(1)])} — feed x.permute${pyTuple(permClToCf(shape.length))}` });
    if (isInt) notes.push({ line: modelLine, message: `Input ${v.name}: token ids as torch.long (int64)` });
  });
  const o0 = outVars[0];
  const ks = graph.outputs[0] ? shapeOf(graph, graph.outputs[0]) : null;
  if (ks && o0) {
    const b1 = ks.map((dd, j) => (j === 0 ? 1 : typeof dd === 'number' ? dd : null));
    meta.outputShape = o0.layout === 'cf' && b1.length >= 3 ? permClToCf(b1.length).map((j) => b1[j]) : b1;
  }
  meta.paramDelta = notes.reduce((s, n) => s + (n.paramDelta ?? 0), 0);
  if (dropped) meta.finalActivationDropped = dropped;

  // Code.
  const varName = pyIdent(summary.name);
  const className = camelCase(st.name && !/^(sequential|functional)(_\d+)?$/i.test(st.name) ? st.name : summary.name);
  const out: string[] = [];
  out.push(`# Translated by TensorLens from Keras (${st.kind} model \`${summary.name}\`${d.analysis.file ? ` in ${d.analysis.file}` : ''}, line ${modelLine}) to PyTorch.`);
  out.push('# Layout: PyTorch is channels-first (N, C, H, W); see the notes for how to feed the model.');
  out.push('import torch');
  out.push('import torch.nn as nn');
  if (lines.some((l) => /\bF\./.test(l)) || modules.some((m) => /\bF\./.test(m.ctor))) out.push('import torch.nn.functional as F');
  out.push('');
  for (const h of helpers) out.push('', HELPERS[h]);
  const directive = `# tensorlens: input=${meta.inputs.map((x) => pyTuple(x.shape)).join(', ')}${meta.inputs.some((x) => x.dtype === 'int64') ? ' dtype=int64' : ''}`;
  if (sequentialOk) {
    out.push('', directive);
    out.push(`${varName} = nn.Sequential(`);
    for (const m of modules) {
      for (const t of m.todos) out.push(`    # TODO(tensorlens): ${t}`);
      out.push(`    ${m.ctor},`);
    }
    out.push(')');
  } else {
    out.push('', directive);
    out.push(`class ${className}(nn.Module):`);
    out.push('    def __init__(self):');
    out.push('        super().__init__()');
    for (const m of modules) {
      for (const t of m.todos) out.push(`        # TODO(tensorlens): ${t}`);
      out.push(`        self.${m.attr} = ${m.ctor}`);
    }
    out.push('');
    out.push(`    def forward(self, ${inputNames.join(', ')}):`);
    for (const l of lines) out.push(`        ${l}`);
    if (!outVars.length) {
      // The model's output was not traced (a layer the engine does not know made it): nothing to return.
      const msg = `${summary.name}: the model's output could not be traced from its inputs (see the summary's notes); translate forward() by hand`;
      notes.push({ line: modelLine, message: `TODO: ${msg}` });
      out.push(`        # TODO(tensorlens): ${msg}`);
      out.push('        raise NotImplementedError');
    } else out.push(`        return ${outVars.length === 1 ? outVars[0].name : outVars.map((o) => o.name).join(', ')}`);
    out.push('');
    out.push('');
    out.push(`${varName} = ${className}()`);
  }
  out.push('');
  out.push(...exampleMain(meta, outVars.length));
  return { code: out.join('\n'), notes, meta };
}

/** A built-in layer's output shape for an input of shape `input` (its spec run on it); null when unknown. */
function specOutput(l: InstanceV, input: Shape | null): Shape | null {
  if (!l.layer || !input) return null;
  try {
    const out = l.layer.spec.forward(new LayerArgs(l.layer.args, l.layer.spec.name), [tensor(input, 'float32')], new Map());
    return out.k === 'tensor' ? out.shape : null;
  } catch {
    return null;
  }
}

function shapeOf(g: KGraph, p: GNode['ins'][number]): Shape | null {
  return p.from === 'in' ? g.inputs[p.i]?.shape ?? null : g.nodes[p.n]?.outShape ?? null;
}

interface KGraph {
  inputs: Array<{ name?: string; shape: Shape | null; dtype: string }>;
  nodes: GNode[];
  outputs: Array<GNode['ins'][number]>;
}

function buildGraph(keras: KerasRuntime, st: ReturnType<KerasRuntime['state']>, summary: ModelSummary): KGraph {
  const rowShape = new Map(summary.layers.map((r) => [r.path, r.outputShape]));
  if (st.kind === 'sequential') {
    // A Sequential nested in the Sequential is a run of its layers; any other non-built-in
    // layer (a custom Layer subclass, a functional model) stays one node, translated as a TODO.
    const layers: InstanceV[] = [];
    const nested = new Set<InstanceV>();
    const expand = (ls: readonly InstanceV[], inner: boolean): void => {
      for (const l of ls) {
        const ls2 = l.layer ? undefined : keras.state(l);
        if (ls2?.kind === 'sequential' && ls2.layers) expand(ls2.layers, true);
        else {
          layers.push(l);
          if (inner) nested.add(l);
        }
      }
    };
    expand(st.layers ?? [], false);
    const inShape = summary.inputShapes[0] ?? null;
    const nodes: GNode[] = [];
    let prev: Shape | null = inShape;
    layers.forEach((l, i) => {
      // A nested model's layers have no rows of their own in the summary: their spec run on the shape before.
      const outShape = nested.has(l) ? specOutput(l, prev) : rowShape.get(keras.state(l).name) ?? null;
      nodes.push({ layer: l, ins: [i === 0 ? { from: 'in', i: 0 } : { from: 'node', n: i - 1, idx: 0 }], inShapes: [prev], outShape });
      prev = outShape;
    });
    const exampleDtype = st.exampleInputs?.[0]?.k === 'tensor' ? st.exampleInputs[0].dtype : 'float32';
    const dtype = layers[0]?.layer?.spec.name === 'Embedding' ? 'int32' : exampleDtype;
    return { inputs: [{ shape: inShape, dtype }], nodes, outputs: [nodes.length ? { from: 'node', n: nodes.length - 1, idx: 0 } : { from: 'in', i: 0 }] };
  }
  const g = st.graph!;
  const nodeIndex = new Map(g.nodes.map((n, i) => [n, i]));
  const inputIds = g.inputs.map((t) => t.origin?.input);
  const producer = (t: TensorV): GNode['ins'][number] => {
    if (t.origin?.node && nodeIndex.has(t.origin.node)) return { from: 'node', n: nodeIndex.get(t.origin.node)!, idx: t.origin.index ?? 0 };
    const i = inputIds.indexOf(t.origin?.input);
    return { from: 'in', i: Math.max(i, 0) };
  };
  const nodes: GNode[] = g.nodes.map((n) => ({
    layer: n.layer,
    args: n.args,
    kwargs: n.kwargs,
    ins: n.inputs.map(producer),
    inShapes: n.inputs.map((t) => t.shape),
    outShape: n.output.k === 'tensor' ? n.output.shape : n.output.k === 'list' || n.output.k === 'tuple' ? ((n.output.items[0] as TensorV | undefined)?.shape ?? null) : null,
  }));
  const outs: TensorV[] = [];
  const collect = (v: Value) => {
    if (v.k === 'tensor') outs.push(v);
    else if (v.k === 'list' || v.k === 'tuple') v.items.forEach(collect);
    else if (v.k === 'dict') v.vals.forEach(collect);
  };
  collect(g.outputs);
  return {
    inputs: g.inputs.map((t) => ({ name: t.origin?.name, shape: t.shape, dtype: t.dtype })),
    nodes,
    outputs: outs.map(producer),
  };
}
