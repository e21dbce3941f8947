import { evaluateFeel, feelSyntaxError } from '../../../processes/feel';
import { escapeLineBreaksInStrings, writtenOffset } from '../../../processes/feel/multilineStrings';

// Camunda's FEEL keeps raw line breaks in a string literal (camunda/feel-scala#715).
describe('FEEL string literals spanning lines', () => {
  const prompt = '"You are a helpful agent.\nAnswer briefly.\r\nThank you."';

  it('passes the syntax check', () => {
    expect(feelSyntaxError(prompt)).toBeNull();
  });

  it('evaluates to the text with its line breaks', () => {
    expect(evaluateFeel(prompt, {})).toEqual({ ok: true, value: 'You are a helpful agent.\nAnswer briefly.\r\nThank you.' });
  });

  it('keeps line breaks inside a string joined with variables', () => {
    const source = '"Dear " + name + ",\nthanks.\n" + "Bye"';
    expect(evaluateFeel(source, { name: 'Ann' })).toEqual({ ok: true, value: 'Dear Ann,\nthanks.\nBye' });
  });

  it('leaves line breaks between tokens, escaped quotes and comments alone', () => {
    const source = '"a \\"quoted\\"\nline"\n// a comment with " a quote\n+ "b" /* "x\ny */';
    expect(escapeLineBreaksInStrings(source).source).toBe('"a \\"quoted\\"\\nline"\n// a comment with " a quote\n+ "b" /* "x\ny */');
    expect(evaluateFeel(source, {})).toEqual({ ok: true, value: 'a "quoted"\nlineb' });
  });

  it('still refuses a broken expression, at its written position', () => {
    const source = '"one\ntwo" + ) ';
    const error = feelSyntaxError(source);
    expect(error).toMatch(/FEEL syntax error at position (\d+)/);
    const at = Number(/position (\d+)/.exec(error!)![1]);
    expect(source[at]).toBe(')');
  });

  it('maps normalized offsets back to the written ones', () => {
    const normalized = escapeLineBreaksInStrings('"a\nb\nc" x');
    expect(normalized.source).toBe('"a\\nb\\nc" x');
    expect(writtenOffset(normalized, normalized.source.indexOf('x'))).toBe(8);
  });

  it('leaves an unterminated string a syntax error', () => {
    expect(feelSyntaxError('"open\nstring')).not.toBeNull();
  });
});
