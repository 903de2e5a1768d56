import { contentChecksum } from '../src/_checksum';

describe('contentChecksum', () => {
  test('does not depend on key order', () => {
    expect(contentChecksum({ a: '1', b: '2' })).toBe(contentChecksum({ b: '2', a: '1' }));
  });

  test('changes with any value, key or split between them', () => {
    const base = contentChecksum({ 'zoo.cfg': 'tickTime=2000' });
    expect(contentChecksum({ 'zoo.cfg': 'tickTime=2001' })).not.toBe(base);
    expect(contentChecksum({ 'zoo.cf': 'tickTime=2000' })).not.toBe(base);
    expect(contentChecksum({ ab: 'c' })).not.toBe(contentChecksum({ a: 'bc' }));
  });

  test('is a sha256 hex digest', () => {
    expect(contentChecksum({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
