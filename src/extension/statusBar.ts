// The status bar item for the model under the cursor: `ResNet18 · 11.7 M`, clicking it
// shows the summary. Model lists come from tensorlens/models, cached per document version.

import { Command, Method, Setting, formatParamsShort, type ModelsResult } from '../shared/protocol';
import type { Host, Server } from './host';

export class ModelStatus {
  private cache: { uri: string; version: number; result: ModelsResult | null } | undefined;
  private generation = 0;

  constructor(private readonly host: Host, private readonly server: Server) {}

  /** Re-reads the active editor and updates the item; resolves when the item is set. */
  async update(): Promise<void> {
    const gen = ++this.generation;
    const ed = this.host.activeEditor();
    if (!ed || ed.languageId !== 'python' || !this.host.getSetting<boolean>(Setting.statusBarEnabled, true)) {
      this.hide();
      return;
    }
    let result = this.cache && this.cache.uri === ed.uri && this.cache.version === ed.version ? this.cache.result : undefined;
    if (result === undefined) {
      try {
        result = await this.server.request(Method.models, { uri: ed.uri });
      } catch {
        result = null;
      }
      this.cache = { uri: ed.uri, version: ed.version, result };
    }
    if (gen !== this.generation) return; // a newer update is running
    const models = result?.models ?? [];
    const here = models.filter((m) => ed.cursorLine >= m.line && ed.cursorLine <= m.endLine).sort((a, b) => a.endLine - a.line - (b.endLine - b.line))[0];
    const m = here ?? (models.length === 1 ? models[0] : undefined);
    if (!m) {
      this.hide();
      return;
    }
    this.host.setStatus({
      text: `$(symbol-class) ${m.name} · ${formatParamsShort(m.totalParams)}`,
      tooltip: `${m.name}: ${m.totalParams.toLocaleString('en-US')} parameters, output ${m.outputShape}. Click for the summary.`,
      command: Command.showSummary,
      visible: true,
    });
  }

  private hide(): void {
    this.host.setStatus({ text: '', tooltip: '', visible: false });
  }
}
