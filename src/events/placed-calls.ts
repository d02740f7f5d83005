// Calls this server placed, so a callback can be answered for them (ACE -> connectConf for a
// conference callout) and their events tied to a conference. Bounded: the oldest entries go first.
export interface PlacedCall {
  kind: 'tts' | 'conference';
  conferenceId?: string;
}

export class PlacedCalls {
  private readonly calls = new Map<string, PlacedCall>();

  constructor(private readonly capacity = 10_000) {}

  remember(callId: string, call: PlacedCall): void {
    this.calls.delete(callId);
    this.calls.set(callId, call);
    if (this.calls.size > this.capacity) this.calls.delete(this.calls.keys().next().value as string);
  }

  get(callId: string): PlacedCall | undefined {
    return this.calls.get(callId);
  }
}
