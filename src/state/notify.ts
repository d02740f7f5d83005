// Hands a message to each local listener of a channel; one that throws is reported and the others still hear it.

export function notifyListeners(listeners: Iterable<(message: string) => void>, channel: string, message: string, log: (line: string) => void): void {
  for (const listener of listeners) {
    try {
      listener(message);
    } catch (error) {
      log(`a listener on shared channel ${channel} failed: ${(error as Error).message}`);
    }
  }
}
