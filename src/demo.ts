// `npm run demo`: a real MCP client (the SDK's Client over stdio) drives the built server in sandbox mode
// through a conference-moderation story. A standalone program: its report goes to stdout on purpose.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';

type Structured = { status?: string; preview?: string; result?: Record<string, unknown> };

// The demo is a standalone program, not the MCP server: its report belongs on stdout.
const print = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  // scripts/demo.mjs builds this file into .build/demo/; the server is the one `npm run build` put in dist/.
  const serverPath = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  // No credentials in the child's environment: the server runs its embedded sandbox.
  const transport = new StdioClientTransport({ command: process.execPath, args: [serverPath], env: { PATH: process.env.PATH ?? '' }, stderr: 'ignore' });
  // The demo client has a confirmation dialog (form elicitation), as Claude Code, VS Code and Cursor do; here the
  // "person" reads it and ticks the box. (A client without one gets the approval page in a browser instead.)
  const client = new Client({ name: 'sinch-calling-mcp-demo', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } } });
  client.setRequestHandler(ElicitRequestSchema, (request) => {
    const message = (request.params as { message: string }).message;
    print(`  [dialog shown to the person]\n${message.replace(/^/gm, '    | ')}\n  (the person ticks "Go ahead?")`);
    return { action: 'accept', content: { confirm: true } };
  });
  await client.connect(transport);
  print(`Connected. Server says: ${client.getInstructions()}\n`);

  const call = async (name: string, args: Record<string, unknown>): Promise<Structured> => {
    print(`→ ${name} ${JSON.stringify(args)}`);
    const result = await client.callTool({ name, arguments: args });
    const text = (result.content as Array<{ text: string }>)[0]?.text.split('\n')[0] ?? '';
    print(`  ${result.isError ? 'ERROR ' : ''}${text}`);
    return (result.structuredContent ?? {}) as Structured;
  };
  // Guarded tools wait inside the call for the person's answer in the dialog above.
  const confirmed = call;

  const room = 'demo-standup';
  const anna = await confirmed('conference_callout', { destination: '+46 70 816 87 31', conferenceId: room, greeting: 'Welcome to the stand-up' });
  await confirmed('conference_callout', { destination: '+1 (404) 500-5000', conferenceId: room });

  print('\n(waiting for both phones to answer)');
  let participants: Array<{ callId: string; cli: string }> = [];
  for (let i = 0; i < 20 && participants.length < 2; i++) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const info = await client.callTool({ name: 'get_conference', arguments: { conferenceId: room } });
    participants = ((info.structuredContent as Structured | undefined)?.result?.participants as typeof participants) ?? [];
  }
  await call('get_conference', { conferenceId: room });
  const other = participants.find((p) => p.callId !== anna.result?.callId) ?? participants[1];
  await call('mute_participants', { conferenceId: room, callIds: [other!.callId] });
  await call('lookup_number', { number: '070-816 87 31', defaultCountry: 'SE' });
  await confirmed('kick_participant', { conferenceId: room, callId: other!.callId });
  await call('get_call_result', { callId: other!.callId });
  await call('get_conference', { conferenceId: room });

  await client.close();
  print('\nDemo finished: every call above went through the MCP server to the sandbox over real HTTP.');
}

main().catch((error) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
