// Loopback hosts: where plain http is allowed (the sandbox, tests, a local proxy) and nothing leaves the machine.

/** localhost, [::1] or 127.x.y.z, as a URL's hostname gives it (the parser has already normalized forms like 0x7f.1). */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
