import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expectProblem, startTestHost } from '../../helpers/host.ts';

describe('http: the problem document', () => {
  it('renders VALIDATION_FAILED with located field errors (snapshot)', async (t) => {
    await using host = await startTestHost();
    const res = await host.call('POST', '/v1/auth/signup', { json: { handle: 'ab', displayName: 'Ada', password: 'short', zzUnknown: 1 } });
    const problem = expectProblem(res, 400, 'VALIDATION_FAILED');
    assert.equal(res.headers.get('content-type'), 'application/problem+json');
    assert.equal(problem.instance, `urn:atrium:request:${res.headers.get('x-request-id')}`);
    t.assert.snapshot({ ...problem, instance: 'urn:atrium:request:<id>' });
  });
});
