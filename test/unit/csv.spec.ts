import { toCsv } from '../../src/reports/csv';

describe('CSV', () => {
  const one = (v: unknown) => toCsv(['v'], [{ v }]).split('\r\n')[1];

  it('guards every text cell that a spreadsheet would read as a formula (OWASP)', () => {
    expect(one('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(one('+1+1')).toBe(`"'+1+1"`);
    expect(one('-1+cmd|calc')).toBe(`"'-1+cmd|calc"`);
    expect(one('-2')).toBe(`"'-2"`); // a text id that looks like a number is still text
    expect(one('@SUM(A1)')).toBe(`"'@SUM(A1)"`);
    expect(one('\t=1')).toBe(`"'\t=1"`);
    expect(one('\r=1')).toBe(`"'\r=1"`);
  });

  it('leaves numbers and ordinary text alone, and quotes separators', () => {
    expect(one(-3)).toBe('-3');
    expect(one(0.25)).toBe('0.25');
    expect(one('task_1')).toBe('task_1');
    expect(one('a,b')).toBe('"a,b"');
    expect(one('say "hi"')).toBe('"say ""hi"""');
    expect(one(null)).toBe('');
  });
});
