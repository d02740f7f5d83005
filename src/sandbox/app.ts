// The sandbox application's documented credentials. Not a secret: they only open the local simulator.
export const SANDBOX_APP = {
  key: 'sandbox-0000-4000-8000-000000000001',
  secret: 'c2luY2gtY2FsbGluZy1tY3Agc2FuZGJveCBzZWNyZXQh',
};
