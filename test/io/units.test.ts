/**
 * Pure parts of the channel layer: encodings (Tcl's fallback decoding, incremental boundaries,
 * unit-to-byte mapping), path names, errno texts, and the notifier's ordering rules.
 */
import { expect } from 'chai';
import * as native from '../../src/native/index.js';
import { findEncoding, getEncoding } from '../../src/io/encoding.js';
import { splitPath, joinPath, dirnamePath, tailPath, rootnamePath, extensionPath, nativePath } from '../../src/io/paths.js';
import { posixMessage, posixErrorCode, canonicalErrno } from '../../src/io/errno.js';
import { Notifier, READABLE, ALL_EVENTS, DONT_WAIT, IDLE_EVENTS } from '../../src/io/notifier.js';
import { TclError } from '../../src/values/error.js';

function bytes(...b: number[]): Buffer {
  return Buffer.from(b);
}

describe('io: encodings', () => {
  const utf8 = getEncoding('utf-8');

  it('decodes valid UTF-8 like the platform and invalid bytes as their own characters', () => {
    const b = Buffer.from('h\u00e9llo \u20ac', 'utf8');
    expect(utf8.decode(b, 0, b.length)).to.equal('h\u00e9llo \u20ac');
    const bad = bytes(0xc3, 0x7c, 0xff, 0xc0, 0x80, 0xe0, 0x80, 0x80);
    expect([...utf8.decode(bad, 0, bad.length)].map((c) => c.charCodeAt(0))).to.deep.equal([0xc3, 0x7c, 0xff, 0, 0xe0, 0x80, 0x80]);
  });

  it('holds back a sequence split at the end of a buffer', () => {
    const b = Buffer.from('a\u20ac', 'utf8');
    expect(utf8.completeEnd(b, 0, 2)).to.equal(1);
    expect(utf8.completeEnd(b, 0, 3)).to.equal(1);
    expect(utf8.completeEnd(b, 0, 4)).to.equal(4);
    expect(utf8.completeEnd(bytes(0x41, 0x42), 0, 2)).to.equal(2);
  });

  it('maps UTF-16 units back to byte offsets', () => {
    const b = Buffer.from('a\u00e9\u20ac\u{1f600}z', 'utf8');
    expect(utf8.skipUnits(b, 0, b.length, 1)).to.equal(1);
    expect(utf8.skipUnits(b, 0, b.length, 2)).to.equal(3);
    expect(utf8.skipUnits(b, 0, b.length, 3)).to.equal(6);
    expect(utf8.skipUnits(b, 0, b.length, 5)).to.equal(10);
  });

  it('encodes with replacement or truncation as Tcl does', () => {
    expect([...getEncoding('iso8859-1').encode('a\u00e9\u0100')]).to.deep.equal([0x61, 0xe9, 0x3f]);
    expect([...getEncoding('ascii').encode('a\u00e9')]).to.deep.equal([0x61, 0x3f]);
    expect([...getEncoding('binary').encode('a\u0141')]).to.deep.equal([0x61, 0x41]);
    expect([...utf8.encode('a\ud800')]).to.deep.equal([0x61, 0xed, 0xa0, 0x80]);
  });

  it('knows table encodings and rejects unknown names with Tcl\'s error', () => {
    const cp = findEncoding('cp1252');
    expect(cp).to.not.equal(null);
    expect(cp!.decode(bytes(0x80), 0, 1)).to.equal('\u20ac');
    expect([...cp!.encode('\u20ac')]).to.deep.equal([0x80]);
    expect(() => getEncoding('nosuch')).to.throw(TclError).with.property('message', 'unknown encoding "nosuch"');
  });
});

describe('io: path names', () => {
  it('splits and joins like Tcl', () => {
    expect(splitPath('/a//b/c/')).to.deep.equal(['/', 'a', 'b', 'c']);
    expect(splitPath('a/~b')).to.deep.equal(['a', './~b']);
    expect(joinPath(['a', '/b', 'c'])).to.equal('/b/c');
    expect(joinPath(['a', './~b'])).to.equal('a/~b');
    expect(joinPath(['a', '~b'])).to.equal('~b');
  });

  it('takes paths apart', () => {
    expect(dirnamePath('a/b/c')).to.equal('a/b');
    expect(dirnamePath('a')).to.equal('.');
    expect(dirnamePath('/')).to.equal('/');
    expect(tailPath('/')).to.equal('');
    expect(tailPath('a/b/')).to.equal('b');
    expect(rootnamePath('a/b.c.d')).to.equal('a/b.c');
    expect(extensionPath('.bashrc')).to.equal('.bashrc');
    expect(extensionPath('a.b/c')).to.equal('');
    expect(nativePath('a//b/')).to.equal('a/b');
  });
});

describe('io: errno texts', () => {
  it('uses Tcl 8.6.13 messages and one name per number', () => {
    expect(posixMessage('EADDRNOTAVAIL')).to.equal('cannot assign requested address');
    expect(posixErrorCode('ECONNREFUSED')).to.equal('POSIX ECONNREFUSED {connection refused}');
    expect(canonicalErrno('EWOULDBLOCK')).to.equal('EAGAIN');
    expect(posixMessage('EOPNOTSUPP')).to.equal('operation not supported');
  });
});

describe('io: notifier ordering', () => {
  it('runs due timers in time order, then idle callbacks', () => {
    const n = new Notifier();
    const seen: string[] = [];
    n.doWhenIdle(() => seen.push('idle'));
    n.createTimer(0, () => seen.push('t0'));
    n.createTimer(0, () => seen.push('t0b'));
    while (n.doOneEvent(ALL_EVENTS | DONT_WAIT)) {
      // drain
    }
    expect(seen).to.deep.equal(['t0', 't0b', 'idle']);
  });

  it('does not run timers created by a timer in the same pass', () => {
    const n = new Notifier();
    const seen: string[] = [];
    n.createTimer(0, () => {
      seen.push('outer');
      n.createTimer(0, () => seen.push('inner'));
    });
    n.createTimer(0, () => seen.push('sibling'));
    n.doOneEvent(ALL_EVENTS | DONT_WAIT);
    expect(seen).to.deep.equal(['outer', 'sibling']);
    n.doOneEvent(ALL_EVENTS | DONT_WAIT);
    expect(seen).to.deep.equal(['outer', 'sibling', 'inner']);
  });

  it('runs only idle callbacks that existed when the idle pass began', () => {
    const n = new Notifier();
    const seen: string[] = [];
    n.doWhenIdle(() => {
      seen.push('one');
      n.doWhenIdle(() => seen.push('three'));
    });
    n.doWhenIdle(() => seen.push('two'));
    n.doOneEvent(IDLE_EVENTS | DONT_WAIT);
    expect(seen).to.deep.equal(['one', 'two']);
    n.doOneEvent(IDLE_EVENTS | DONT_WAIT);
    expect(seen).to.deep.equal(['one', 'two', 'three']);
  });

  it('reports a readable fd, and nothing to do without waiting', () => {
    const n = new Notifier();
    expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
    const [r, w] = native.pipe(true);
    try {
      let got = 0;
      n.createFileHandler(r, READABLE, (mask) => (got = mask));
      native.write(w, Buffer.from('x'), 0, 1);
      expect(n.doOneEvent(ALL_EVENTS)).to.equal(true);
      expect(got).to.equal(READABLE);
      n.deleteFileHandler(r);
    } finally {
      native.close(r);
      native.close(w);
    }
  });

  it('services ready fds newest handler first, through deletions and re-creations', () => {
    const n = new Notifier();
    const pipes = [native.pipe(true), native.pipe(true), native.pipe(true)];
    const order: number[] = [];
    const one = Buffer.alloc(1);
    const watch = (k: number) =>
      n.createFileHandler(pipes[k][0], READABLE, () => {
        native.read(pipes[k][0], one, 0, 1);
        order.push(k);
      });
    // Makes every pipe readable, then services all that poll reports.
    const round = (): number[] => {
      for (const [, w] of pipes) native.write(w, one, 0, 1);
      order.length = 0;
      while (n.doOneEvent(ALL_EVENTS | DONT_WAIT)) {
        /* service every queued event */
      }
      for (const [r] of pipes) native.read(r, one, 0, 1);
      return order.slice();
    };
    try {
      watch(0);
      watch(1);
      watch(2);
      expect(round()).to.deep.equal([2, 1, 0]);
      // The middle one goes and comes back: it is now the newest. Replacing a handler's proc
      // keeps its place.
      n.deleteFileHandler(pipes[1][0]);
      n.deleteFileHandler(pipes[1][0]);
      watch(1);
      watch(0);
      expect(round()).to.deep.equal([1, 2, 0]);
      // A deleted handler is not polled; an fd never watched is ignored.
      n.deleteFileHandler(pipes[2][0]);
      n.deleteFileHandler(1000);
      n.queueFileEvent(1000, READABLE);
      expect(round()).to.deep.equal([1, 0]);
      n.reset();
      expect(round()).to.deep.equal([]);
    } finally {
      for (const [r, w] of pipes) {
        native.close(r);
        native.close(w);
      }
    }
  });

  it('takes an assumed readiness instead of polling only when nothing else is watched', () => {
    const n = new Notifier();
    const [r, w] = native.pipe(true);
    const [r2, w2] = native.pipe(true);
    try {
      const seen: number[] = [];
      n.createFileHandler(r, READABLE, (mask) => seen.push(mask));
      // Nothing is written: only a guess can make the handler run.
      n.assumeReady(r, READABLE);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(true);
      expect(seen).to.deep.equal([READABLE]);
      // One wait only: the next one polls and finds nothing.
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
      // A wake-only fd (a signal trap's pipe) does not stop the guess...
      n.createFileHandler(r2, READABLE, () => seen.push(-1), true);
      n.assumeReady(r, READABLE);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(true);
      expect(seen).to.deep.equal([READABLE, READABLE]);
      // ...but any other watched fd does: poll could report it instead.
      n.deleteFileHandler(r2);
      n.createFileHandler(r2, READABLE, () => seen.push(2));
      n.assumeReady(r, READABLE);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
      native.write(w2, Buffer.from('x'), 0, 1);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(true);
      expect(seen).to.deep.equal([READABLE, READABLE, 2]);
      // Not for a mask the handler does not watch, nor for an fd without a handler.
      n.deleteFileHandler(r2);
      n.assumeReady(r, 4);
      n.assumeReady(w, READABLE);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
    } finally {
      for (const fd of [r, w, r2, w2]) native.close(fd);
    }
  });

  it('queues a file event it is told of without polling, once, and only for a watched fd and mask', () => {
    const n = new Notifier();
    const [r, w] = native.pipe(true);
    try {
      const seen: number[] = [];
      n.createFileHandler(r, READABLE, (mask) => seen.push(mask));
      // Nothing is written: only the queued event can make the handler run.
      n.queueFileEvent(r, READABLE);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(true);
      expect(seen).to.deep.equal([READABLE]);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
      // Told twice, or told and polled, it still runs the handler once.
      n.queueFileEvent(r, READABLE);
      n.queueFileEvent(r, READABLE);
      native.write(w, Buffer.from('x'), 0, 1);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(true);
      expect(seen).to.deep.equal([READABLE, READABLE]);
      native.read(r, Buffer.alloc(1), 0, 1);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
      // Not for a mask the handler does not watch, nor for an fd without a handler.
      n.queueFileEvent(r, 4);
      n.queueFileEvent(w, READABLE);
      expect(n.doOneEvent(ALL_EVENTS | DONT_WAIT)).to.equal(false);
      expect(seen).to.deep.equal([READABLE, READABLE]);
    } finally {
      native.close(r);
      native.close(w);
    }
  });

  it('checks timers after an assumed wait, so a handler that keeps guessing cannot starve them', () => {
    const n = new Notifier();
    const [r, w] = native.pipe(true);
    try {
      const seen: string[] = [];
      n.createFileHandler(r, READABLE, () => {
        seen.push('file');
        n.assumeReady(r, READABLE);
      });
      n.createTimer(0, () => seen.push('timer'));
      n.assumeReady(r, READABLE);
      for (let i = 0; i < 3; i++) n.doOneEvent(ALL_EVENTS | DONT_WAIT);
      // As after a poll: the file event first, the due timer's event queued behind it.
      expect(seen).to.deep.equal(['file', 'timer', 'file']);
    } finally {
      native.close(r);
      native.close(w);
    }
  });

  it('waits for a timer in poll without spinning', () => {
    const n = new Notifier();
    let fired = false;
    n.createTimer(50, () => (fired = true));
    const t0 = Date.now();
    expect(n.doOneEvent(ALL_EVENTS)).to.equal(true);
    expect(fired).to.equal(true);
    expect(Date.now() - t0).to.be.at.least(40);
  });
});
