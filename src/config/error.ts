// A configuration the server refuses to start with (exit code 2). Messages name the variable or flag.
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
