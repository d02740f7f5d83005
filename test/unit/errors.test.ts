import { describe, expect, it } from 'vitest';
import { SinchApiError, adviceFor, describeFailure, parseErrorBody } from '../../src/sinch/errors.js';

describe('parseErrorBody', () => {
  it('reads today’s body with a string errorCode', () => {
    expect(parseErrorBody('{"status":"404 Not Found","errorCode":"40400","message":"Call not found","reference":"a2028355"}', 404)).toEqual({
      errorCode: '40400',
      message: 'Call not found',
      reference: 'a2028355',
    });
  });

  it('reads a numeric errorCode and the legacy two-field body', () => {
    expect(parseErrorBody('{"errorCode":40102,"message":"Invalid Signature"}', 401)).toEqual({
      errorCode: '40102',
      message: 'Invalid Signature',
      reference: undefined,
    });
  });

  it('tolerates empty, HTML, plain text and broken JSON bodies', () => {
    expect(parseErrorBody('', 503).message).toBe('HTTP 503 with an empty body');
    expect(parseErrorBody('<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>', 502).message).toBe(
      'HTTP 502 with an HTML page ("502 Bad Gateway")',
    );
    expect(parseErrorBody('upstream connect error', 503).message).toBe('upstream connect error');
    expect(parseErrorBody('{"errorCode": 4', 500).message).toBe('{"errorCode": 4');
    expect(parseErrorBody('{}', 500)).toEqual({ errorCode: undefined, message: 'HTTP 500', reference: undefined });
  });
});

describe('advice', () => {
  it.each(['40001', '40002', '40003', '40108', '40301', '40400', '50000'])('seed code %s has its own explanation', (code) => {
    const text = adviceFor({ kind: 'http', status: Number(code.slice(0, 3)), errorCode: code, method: 'GET' });
    expect(text).not.toBe(adviceFor({ kind: 'http', status: Number(code.slice(0, 3)), method: 'GET' }));
    expect(text.length).toBeGreaterThan(20);
  });

  it.each([
    [401, /SINCH_APPLICATION_KEY/],
    [403, /permissions/],
    [404, /ended/],
    [429, /slow down/],
  ])('status %s without a code still says what to do', (status, pattern) => {
    expect(adviceFor({ kind: 'http', status, method: 'GET' })).toMatch(pattern);
  });

  it('warns that a write that timed out or lost its connection may have happened', () => {
    expect(adviceFor({ kind: 'timeout', method: 'POST' })).toMatch(/may or may not have happened/);
    expect(adviceFor({ kind: 'network', method: 'DELETE' })).toMatch(/may or may not have happened/);
    expect(adviceFor({ kind: 'network', method: 'GET' })).toMatch(/Check connectivity/);
  });

  it.each(['POST', 'PATCH', 'DELETE'])('never tells a %s whose outcome is unknown to retry later: it says to read the state first', (method) => {
    for (const status of [500, 502, 503, 504]) {
      const text = adviceFor({ kind: 'http', status, method });
      expect(text).toMatch(/may or may not have happened: read the state/);
      expect(text).not.toMatch(/Retry later/i);
    }
    expect(adviceFor({ kind: 'invalid_response', method })).toMatch(/accepted the request \(HTTP 2xx\), so it most likely happened.*read the state/);
    expect(adviceFor({ kind: 'aborted', method })).toMatch(/cancelled after it was sent.*may or may not have happened/);
    // A refusal (4xx) or a connection that was never made did not happen.
    expect(adviceFor({ kind: 'http', status: 400, method })).not.toMatch(/may or may not/);
    expect(adviceFor({ kind: 'network', method, message: 'connect ECONNREFUSED 127.0.0.1:1' })).not.toMatch(/may or may not/);
  });

  it('a read that failed may simply be tried again', () => {
    expect(adviceFor({ kind: 'http', status: 503, method: 'GET' })).toMatch(/Retry later/);
  });

  it('puts status, code, message and reference in the error message', () => {
    const error = new SinchApiError({ kind: 'http', method: 'GET', path: '/x', status: 404, errorCode: '40400', message: 'Call not found', reference: 'r1' });
    expect(error.message).toBe(describeFailure(error.details));
    expect(error.message).toMatch(/^Sinch answered 404 \(errorCode 40400\): Call not found \[reference r1\]\. Not found/);
  });
});
