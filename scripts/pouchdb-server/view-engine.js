'use strict';
// Preloaded into pouchdb-server by scripts/services.sh (`node --require`), before the server loads.
//
// Why: pouchdb-mapreduce runs every map call in a fresh `vm` context, compiling the view's source
// again with the document inlined as JSON. Measured on the demo's 95,000 entries, that is about
// 0.6 ms of the ~1 ms a view build spends per document (createContext, compile and their garbage),
// so `archiver views deploy` after the demo took minutes where CouchDB takes seconds. CouchDB's
// JavaScript servers keep one context per design document and call the compiled function for each
// document; this engine does the same: each view's map (and custom reduce) is compiled once per
// index update in a sandbox context of its own, and each document is handed over as a fresh parse
// of its JSON, so a map function can neither change the stored document nor see the host's objects.
//
// It registers itself in place of pouchdb-mapreduce, under the same index name ('mrviews'), so
// indexes built before stay valid. Built-in reduces (_sum, _count, _stats) behave as pouchdb's:
// numbers and arrays of numbers, and a built-in error fails the query (CouchDB does the same).
const Module = require('module');
const vm = require('vm');

// Resolve everything from pouchdb-server's own location, so these are the instances it loads.
const serverRequire = Module.createRequire(process.argv[1]);
const mapreducePath = serverRequire.resolve('pouchdb-mapreduce');
const fromMapreduce = Module.createRequire(mapreducePath);
const createAbstractMapReduce = fromMapreduce('pouchdb-abstract-mapreduce');
const { BuiltInError, NotFoundError } = fromMapreduce('pouchdb-mapreduce-utils');

function sumValues(values) {
  let total = 0;
  for (const value of values) {
    if (typeof value === 'number') {
      if (typeof total === 'number') total += value; else total[0] += value;
    } else if (Array.isArray(value)) {
      if (typeof total === 'number') total = [total];
      value.forEach((item, i) => {
        if (typeof item !== 'number') throw builtInError('_sum');
        total[i] = (total[i] === undefined ? 0 : total[i]) + item;
      });
    } else {
      throw builtInError('_sum');
    }
  }
  return total;
}

function builtInError(name) {
  return new BuiltInError(`builtin ${name} function requires map values to be numbers or number arrays`);
}

const builtIns = {
  _sum: (keys, values) => sumValues(values),
  _count: (keys, values) => values.length,
  _stats: (keys, values) => ({
    sum: sumValues(values),
    min: Math.min(...values),
    max: Math.max(...values),
    count: values.length,
    sumsqr: values.reduce((acc, v) => acc + v * v, 0),
  }),
};

// Compiles `source` (a function's text) once in a new sandbox context. The sandbox has what
// pouchdb's own sandbox gives view code: emit, log (ignored), isArray, toJSON and sum.
function compile(source) {
  const context = vm.createContext(Object.create(null));
  const factory = vm.runInContext(
    '(function () {"use strict";' +
    'var emitted = [];' +
    'var emit = function (key, value) { emitted.push([key, value]); };' +
    'var log = function () {};' +
    'var isArray = Array.isArray;' +
    'var toJSON = JSON.parse;' +
    'var sum = function (values) { var t = 0; for (var i = 0; i < values.length; i++) t += values[i]; return t; };' +
    'var fun = (' + source.replace(/;\s*$/, '') + ');' +
    'return function (argsJson) {' +
    '  emitted = [];' +
    '  var args = JSON.parse(argsJson);' +
    '  var result = fun(args[0], args[1], args[2]);' +
    '  return { result: result, emitted: emitted };' +
    '};' +
    '})()', context);
  return (...args) => factory(JSON.stringify(args));
}

function mapper(mapFun, emit) {
  if (typeof mapFun === 'function' && mapFun.length === 2) {
    // a temporary view given as a function taking (doc, emit), as pouchdb allows
    return (doc) => mapFun(doc, emit);
  }
  const run = compile(mapFun.toString());
  return (doc) => {
    const output = run(doc);
    for (const [key, value] of output.emitted) emit(key, value);
    return output.result;
  };
}

function reducer(reduceFun) {
  const source = reduceFun.toString();
  if (source.startsWith('_')) {
    const name = Object.keys(builtIns).find((n) => source.startsWith(n));
    if (!name) throw new Error(`${source} is not a supported reduce function.`);
    return builtIns[name];
  }
  const run = compile(source);
  return (keys, values, rereduce) => run(keys, values, rereduce).result;
}

function ddocValidator(ddoc, viewName) {
  const view = ddoc.views && ddoc.views[viewName];
  if (typeof view.map !== 'string') {
    throw new NotFoundError(`ddoc ${ddoc._id} has no string view named ${viewName}, instead found object of type: ${typeof view.map}`);
  }
}

const engine = createAbstractMapReduce('mrviews', mapper, reducer, ddocValidator);
const plugin = {
  query(fun, opts, callback) { return engine.query.call(this, fun, opts, callback); },
  viewCleanup(callback) { return engine.viewCleanup.call(this, callback); },
};

// Take pouchdb-mapreduce's place in the module cache before pouchdb-server requires it.
const entry = new Module(mapreducePath, module);
entry.filename = mapreducePath;
entry.loaded = true;
entry.exports = plugin;
require.cache[mapreducePath] = entry;
