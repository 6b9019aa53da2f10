import assert from 'node:assert/strict';
import { createHmac, hkdfSync } from 'node:crypto';
import { it } from 'node:test';
import { HISTORY_NUMBER_PSEUDONYM, erasureTargetOf, pseudonymSubject } from '../../src/domain/erasure.js';
import { ValidationError } from '../../src/domain/errors.js';
import { SecretBox } from '../../src/security/secret-box.js';

const key = Buffer.alloc(32, 7);

it('a pseudonym is HMAC-SHA256 under a key derived per purpose, and one history number at two centers gives two', () => {
  const box = SecretBox.fromKey(key);
  const subject = pseudonymSubject(3, '  H-100 ');
  assert.equal(subject, '3:H-100');
  // What a data-protection officer holding the key recomputes, with nothing of ours.
  const derived = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `openretina pseudonym: ${HISTORY_NUMBER_PSEUDONYM}`, 32));
  assert.equal(box.pseudonym(HISTORY_NUMBER_PSEUDONYM, subject), `hmac-sha256:${createHmac('sha256', derived).update('3:H-100').digest('hex')}`);
  assert.equal(box.pseudonym(HISTORY_NUMBER_PSEUDONYM, subject), SecretBox.fromKey(Buffer.from(key)).pseudonym(HISTORY_NUMBER_PSEUDONYM, '3:H-100'));
  assert.notEqual(box.pseudonym(HISTORY_NUMBER_PSEUDONYM, subject), box.pseudonym(HISTORY_NUMBER_PSEUDONYM, pseudonymSubject(4, 'H-100')));
  assert.notEqual(box.pseudonym(HISTORY_NUMBER_PSEUDONYM, subject), SecretBox.fromKey(Buffer.alloc(32, 8)).pseudonym(HISTORY_NUMBER_PSEUDONYM, subject), 'another key, another pseudonym');
  assert.ok(!box.pseudonym(HISTORY_NUMBER_PSEUDONYM, subject).includes('H-100'));
});

it('an erasure names a history number or case ids, never both, and every bad field at once', () => {
  assert.deepEqual(erasureTargetOf({ centerId: 1, historyNumber: ' H-1 ' }), { centerId: 1, historyNumber: 'H-1' });
  assert.deepEqual(erasureTargetOf({ centerId: 1, caseIds: [9, 3] }), { centerId: 1, caseIds: [3, 9] });
  const refused = (input: Parameters<typeof erasureTargetOf>[0]) => {
    try {
      erasureTargetOf(input);
    } catch (error) {
      assert.ok(error instanceof ValidationError);
      return error.issues.map((i) => `${i.field}:${i.rule}`);
    }
    assert.fail('accepted');
  };
  assert.deepEqual(refused({ centerId: 1 }), ['history_number:one_of']);
  assert.deepEqual(refused({ centerId: 1, historyNumber: 'H', caseIds: [1] }), ['history_number:one_of']);
  assert.deepEqual(refused({ centerId: 0, historyNumber: '   ' }), ['center_id:range', 'history_number:required']);
  assert.deepEqual(refused({ centerId: 1, caseIds: [2, 2, 0] }), ['case_ids:range', 'case_ids:unique']);
  assert.deepEqual(refused({ centerId: 1, caseIds: [] }), ['case_ids:required']);
});
