// The status page: plain DOM, no build step. Every text from the index is set with textContent, never as HTML.
'use strict';

const REFRESH_MS = 2000;
const byId = id => document.getElementById(id);
let lastSearch = null;       // the request of the results shown, re-run when the index changes
let lastIndexVersion = null; // last_indexed and chunk_count of the last status seen

function token() {
  return sessionStorage.getItem('flink-rag-token');
}

async function call(route, body) {
  const headers = { 'Content-Type': 'application/json' };
  if (token()) {
    headers.Authorization = 'Bearer ' + token();
  }
  const response = await fetch(route, { method: 'POST', headers, body: JSON.stringify(body) });
  const payload = await response.json().catch(() => ({ error: 'HTTP ' + response.status }));
  if (response.status === 401) {
    byId('token-form').hidden = false;
  }
  if (!response.ok) {
    throw new Error(payload.error || 'HTTP ' + response.status);
  }
  return payload;
}

function showError(id, error) {
  const element = byId(id);
  element.textContent = error ? error.message : '';
  element.hidden = !error;
}

function time(unixSeconds) {
  return unixSeconds == null ? '–' : new Date(unixSeconds * 1000).toLocaleString();
}

function setText(id, text) {
  byId(id).textContent = text == null ? '–' : String(text);
}

async function refreshStatus() {
  try {
    const status = await call('v1/statistics', {});
    showError('status-error', null);
    setText('index-name', status.index);
    setText('documents', status.file_count);
    setText('chunks', status.chunk_count);
    setText('last-change-seen', time(status.last_change_seen));
    setText('last-indexed', time(status.last_indexed));
    setText('freshness-lag', status.freshness_lag_ms == null ? null : status.freshness_lag_ms + ' ms');
    setText('model', status.model);
    const pipeline = status.pipeline;
    if (!pipeline) {
      setText('dead-letters', 'not connected (pipeline.rest-url)');
      setText('cache-hit-rate', 'not connected (pipeline.rest-url)');
    } else if (pipeline.error) {
      setText('dead-letters', 'unavailable');
      setText('cache-hit-rate', 'unavailable');
      showError('status-error', new Error(pipeline.error));
    } else {
      setText('dead-letters', pipeline.dead_letters);
      setText('cache-hit-rate', pipeline.embedding_cache_hit_rate == null ? null
          : (pipeline.embedding_cache_hit_rate * 100).toFixed(1) + ' % of ' +
            (pipeline.embedding_cache_hits + pipeline.embedding_cache_misses) + ' lookups');
    }
    setText('status-updated', 'updated ' + new Date().toLocaleTimeString());
    const version = status.last_indexed + '/' + status.chunk_count + '/' + status.freshness_lag_ms;
    if (lastIndexVersion !== null && version !== lastIndexVersion && lastSearch && byId('live').checked) {
      await search(lastSearch);
    }
    lastIndexVersion = version;
  } catch (error) {
    showError('status-error', error);
  }
}

/** The text as nodes, the query's words (3 letters or more) in <mark>. */
function highlighted(text, query) {
  const words = (query.toLowerCase().match(/[\p{L}\p{N}_]{3,}/gu) || [])
      .map(word => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const fragment = document.createDocumentFragment();
  if (words.length === 0) {
    fragment.append(text);
    return fragment;
  }
  const pattern = new RegExp('(' + words.join('|') + ')', 'giu');
  text.split(pattern).forEach((part, i) => {
    if (i % 2 === 1) {
      const mark = document.createElement('mark');
      mark.textContent = part;
      fragment.append(mark);
    } else if (part) {
      fragment.append(part);
    }
  });
  return fragment;
}

function hitItem(hit, query) {
  const item = document.createElement('li');
  item.className = 'hit';
  item.dataset.id = hit.id;
  const source = document.createElement('div');
  source.className = 'hit-source';
  source.textContent = (hit.metadata.path || hit.metadata.doc_id || hit.id) + ' · score ' + hit.score.toFixed(3);
  const text = document.createElement('div');
  text.className = 'hit-text';
  text.append(highlighted(hit.text, query));
  item.append(source, text);
  return item;
}

async function search(request) {
  try {
    const hits = await call('v1/retrieve', request);
    showError('search-error', null);
    byId('results').replaceChildren(...hits.map(hit => hitItem(hit, request.query)));
    lastSearch = request;
  } catch (error) {
    showError('search-error', error);
  }
}

async function answer(question) {
  byId('answer').textContent = '…';
  try {
    const result = await call('v2/answer', { prompt: question, return_context_docs: false });
    showError('answer-error', null);
    byId('answer').textContent = result.response;
    byId('sources').replaceChildren(...result.sources.map(source => {
      const item = document.createElement('li');
      item.textContent = source.path || source.doc_id;
      return item;
    }));
  } catch (error) {
    byId('answer').textContent = '';
    showError('answer-error', error);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  byId('search-form').addEventListener('submit', event => {
    event.preventDefault();
    const request = { query: byId('query').value, k: Number(byId('k').value), mode: byId('mode').value };
    const filter = byId('filter').value.trim();
    if (filter) {
      request.metadata_filter = filter;
    }
    search(request);
  });
  byId('answer-form').addEventListener('submit', event => {
    event.preventDefault();
    answer(byId('question').value);
  });
  byId('token-form').addEventListener('submit', event => {
    event.preventDefault();
    sessionStorage.setItem('flink-rag-token', byId('token').value);
    byId('token').value = '';
    byId('token-form').hidden = true;
    refreshStatus();
  });
  refreshStatus();
  setInterval(refreshStatus, REFRESH_MS);
});
