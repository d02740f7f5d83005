import { describe, expect, it } from 'vitest';
import {
  applicationAuthorization,
  basicAuthorization,
  contentMd5,
  signature,
  stringToSign,
  verifyAuthorization,
} from '../../src/sinch/signing.js';

// Published vectors from sinch-api-facts.md §1.2 (V1–V4, V4 with the corrected callouts signature).
describe('application signing: published vectors', () => {
  it('V1: POST with a body (Node and Java SDK tests)', () => {
    const input = {
      method: 'POST',
      body: '{"identity":{"type":"number","endpoint":"+33444555666"},"method":"sms"}',
      contentType: 'application/json; charset=UTF-8',
      timestamp: '2023-11-22T09:10:11.999Z',
      path: '/path/pathParamValue',
    };
    expect(contentMd5(input.body)).toBe('RkD29EocJh6t7zr5QfKM4g==');
    expect(applicationAuthorization('my-key-id', 'bXkta2V5LXNlY3JldA==', input)).toBe(
      'Application my-key-id:QP3OzQZVzRZAEev6DBLvJkgpiqyZPuXYsc7oyjUV0K8=',
    );
  });

  it('V2: GET with no body signs an empty Content-MD5 line', () => {
    const input = { method: 'GET', body: '', contentType: 'application/json', timestamp: '2023-11-22T09:10:11.999Z', path: '/path/pathParamValue' };
    expect(stringToSign(input)).toBe('GET\n\napplication/json\nx-timestamp:2023-11-22T09:10:11.999Z\n/path/pathParamValue');
    expect(applicationAuthorization('my-key-id', 'bXkta2V5LXNlY3JldA==', input)).toBe(
      'Application my-key-id:nsrLDvP6KVD/dAxb3IfAncdwjPFJVWSrseEFOcZge+A=',
    );
  });

  it('V3: the official callback example', () => {
    const input = {
      method: 'POST',
      body: '{"event":"ace","callid":"822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257","timestamp":"2014-09-24T10:59:41Z","version":1}',
      contentType: 'application/json',
      timestamp: '2014-09-24T10:59:41Z',
      path: '/sinch/callback/ace',
    };
    expect(contentMd5(input.body)).toBe('REWF+X220L4/Gw1spXOU7g==');
    expect(signature('BeIukql3pTKJ8RGL5zo0DA==', input)).toBe('Tg6fMyo8mj9pYfWQ9ssbx3Tc1BNC87IEygAfLbJqZb4=');
  });

  it('V4: the legacy REST example, and its corrected callouts variant', () => {
    const base = { method: 'POST', body: '{"message":"Hello world"}', contentType: 'application/json', timestamp: '2014-06-04T13:41:58Z' };
    expect(contentMd5(base.body)).toBe('jANzQ+rgAHyf1MWQFSwvYw==');
    expect(signature('JViE5vDor0Sw3WllZka15Q==', { ...base, path: '/v1/sms/+46700000000' })).toBe('qDXMwzfaxCRS849c/2R0hg0nphgdHciTo7OdM6MsdnM=');
    expect(signature('JViE5vDor0Sw3WllZka15Q==', { ...base, path: '/calling/v1/callouts' })).toBe('aS9fG2smJx6MIhPJDSNiaDQ1D3+e493HuL+VVA9pqyM=');
  });

  it('derived Voice-shaped vectors (regression)', () => {
    const secret = 'JViE5vDor0Sw3WllZka15Q==';
    const ts = '2014-06-04T13:41:58Z';
    const get = { method: 'GET', body: '', timestamp: ts, path: '/calling/v1/calls/id/4398599d1ba84ef3bde0a82dfb61abed' };
    expect(signature(secret, { ...get, contentType: 'application/json' })).toBe('6khhRm+wWaR/0Ibp9PMvwfKAxxw7LD4AzRLISjqxnY4=');
    expect(signature(secret, { ...get, contentType: '' })).toBe('256SFOIhMnoPHheChx0alyxHaKFCTaFqhGxI0EI27LA=');
    expect(signature(secret, { method: 'DELETE', body: '', contentType: 'application/json', timestamp: ts, path: '/calling/v1/conferences/id/myConference' })).toBe(
      'CHdpibd1UX+LwiKBU26tIOG0SbD7UZNCS9BZxMxXx6M=',
    );
    expect(signature(secret, { method: 'GET', body: '', contentType: 'application/json', timestamp: ts, path: '/v1/configuration/numbers' })).toBe(
      'j1iORaaJd6rtPW/NFosw/4SdJsaL6WOgBHa6L94qkgU=',
    );
    const body =
      '{"method":"ttsCallout","ttsCallout":{"cli":"+14045001000","destination":{"type":"number","endpoint":"+14045005000"},"locale":"en-US","text":"Hello, this is a call from Sinch."}}';
    expect(contentMd5(body)).toBe('G0putvD4si3GCkH9r34vAQ==');
    expect(signature(secret, { method: 'POST', body, contentType: 'application/json; charset=UTF-8', timestamp: ts, path: '/calling/v1/callouts' })).toBe(
      'Bakgc8oytgZ88GzYIRmEGa71ug4xW4kd4QmcAjdddeU=',
    );
  });

  it('a raw (not base64-decoded) key gives a different signature', () => {
    const input = { method: 'POST', body: '{"message":"Hello world"}', contentType: 'application/json', timestamp: '2014-06-04T13:41:58Z', path: '/v1/sms/+46700000000' };
    const rawKey = Buffer.from('JViE5vDor0Sw3WllZka15Q==').toString('base64');
    expect(signature(rawKey, input)).not.toBe('qDXMwzfaxCRS849c/2R0hg0nphgdHciTo7OdM6MsdnM=');
  });
});

describe('basic auth', () => {
  it('is Basic base64(key:secret) with the secret as given', () => {
    expect(basicAuthorization('key', 'c2VjcmV0')).toBe(`Basic ${Buffer.from('key:c2VjcmV0').toString('base64')}`);
  });
});

describe('verifyAuthorization', () => {
  const app = { key: '669E367E-6BBA-48AB-AF15-266871C28135', secret: 'BeIukql3pTKJ8RGL5zo0DA==' };
  const request = {
    method: 'POST',
    body: '{"event":"ace","callid":"822aa4b7-05b4-4d83-87c7-1f835ee0b6f6_257","timestamp":"2014-09-24T10:59:41Z","version":1}',
    contentType: 'application/json',
    timestamp: '2014-09-24T10:59:41Z',
    path: '/sinch/callback/ace',
  };
  const header = `application ${app.key}:Tg6fMyo8mj9pYfWQ9ssbx3Tc1BNC87IEygAfLbJqZb4=`;

  it('accepts the V3 header with a lowercase scheme', () => {
    expect(verifyAuthorization(header, app, request)).toEqual({ ok: true, scheme: 'application' });
  });

  it.each([
    ['body', { body: request.body.replace('ace', 'dice') }],
    ['path', { path: '/sinch/callback/other' }],
    ['timestamp', { timestamp: '2014-09-24T10:59:42Z' }],
    ['content type', { contentType: 'application/json; charset=utf-8' }],
    ['method', { method: 'PUT' }],
  ])('refuses a tampered %s', (_name, change) => {
    expect(verifyAuthorization(header, app, { ...request, ...change })).toEqual({ ok: false, reason: 'signature' });
  });

  it('refuses another key, a missing header, an unknown scheme and wrong basic credentials', () => {
    expect(verifyAuthorization(header, { ...app, key: 'other' }, request)).toEqual({ ok: false, reason: 'key' });
    expect(verifyAuthorization(undefined, app, request)).toEqual({ ok: false, reason: 'missing' });
    expect(verifyAuthorization('Bearer abc', app, request)).toEqual({ ok: false, reason: 'scheme' });
    expect(verifyAuthorization(basicAuthorization(app.key, 'wrong'), app, request)).toEqual({ ok: false, reason: 'credentials' });
    expect(verifyAuthorization(basicAuthorization(app.key, app.secret), app, request)).toEqual({ ok: true, scheme: 'basic' });
  });
});
