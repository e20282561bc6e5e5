/**
 * Dict values: an insertion-ordered Map from key string to value, cached on the TclObj like lists.
 */
import { TclObj, Rep } from './obj.js';
import { TclError } from './error.js';
import { getList } from './list.js';

/** The dict face of a value (cached; never mutate the returned map — copy with dictCopy). */
export function getDict(o: TclObj): Map<string, TclObj> {
  if (o.t === Rep.Dict) return o.r as Map<string, TclObj>;
  let items: readonly TclObj[];
  try {
    items = getList(o);
  } catch (e) {
    if (e instanceof TclError) throw new TclError(e.message.replace(/ in list$/, ' in dictionary').replace('list element', 'dict element'), e.errorCode.replace('LIST', 'DICTIONARY'));
    throw e;
  }
  if (items.length & 1) throw new TclError('missing value to go with key', 'TCL VALUE DICTIONARY');
  const map = new Map<string, TclObj>();
  for (let i = 0; i < items.length; i += 2) map.set(items[i].toString(), items[i + 1]);
  o.toString();
  o.t = Rep.Dict;
  o.r = map;
  return map;
}

export function dictCopy(o: TclObj): Map<string, TclObj> {
  return new Map(getDict(o));
}
