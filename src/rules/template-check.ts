// What `sentinel check` says about a summary template before any alert renders it: an unknown function
// (`humanise`), Go-template field syntax (`{{ .Labels.partner }}`) or a `{{` left open would otherwise
// print as literal text in every page.
import { closestWord } from '../config/index.js';
import { TEMPLATE_FUNCTIONS } from './template.js';

export interface TemplateProblem {
  readonly message: string;
  readonly fix: string;
}

/** Prometheus' own template functions that our summaries do not render (a clearer message than "unknown"). */
const PROMETHEUS_ONLY = ['humanize1024', 'humanizeTimestamp', 'title', 'toUpper', 'toLower', 'first', 'label', 'value', 'query', 'printf', 'reReplaceAll', 'match', 'graphLink', 'tableLink', 'args', 'safeHtml', 'strvalue', 'sortByLabel', 'stripPort', 'stripDomain', 'parseDuration', 'externalURL', 'pathPrefix'];
const SUPPORTED = 'summaries use {{ $labels.NAME }}, {{ $value }} and {{ $value | humanize }} (or humanizePercentage, humanizeDuration)';

export function templateProblems(template: string): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const opened = (template.match(/\{\{/g) ?? []).length;
  const closed = (template.match(/\}\}/g) ?? []).length;
  if (opened !== closed) problems.push({ message: `summary has ${opened} "{{" but ${closed} "}}"`, fix: 'close every {{ with }}' });
  for (const [, inner] of template.matchAll(/\{\{-?\s*(.*?)\s*-?\}\}/g)) {
    const problem = actionProblem(inner!);
    if (problem) problems.push(problem);
  }
  return problems;
}

function actionProblem(action: string): TemplateProblem | undefined {
  const [subject = '', ...pipes] = action.split('|').map((p) => p.trim());
  const goField = /^\.(Labels|Value|Annotations)\b(?:\.([a-zA-Z_][a-zA-Z0-9_]*))?$/.exec(subject);
  if (goField) {
    const written = goField[1] === 'Labels' ? `$labels.${goField[2] ?? 'NAME'}` : goField[1] === 'Value' ? '$value' : undefined;
    return {
      message: `{{ ${action} }} is Go-template field syntax, which summaries do not read`,
      fix: written ? `write {{ ${[written, ...pipes].join(' | ')} }}` : SUPPORTED,
    };
  }
  const label = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(subject);
  if (!label && subject !== '$value') {
    const fn = /^([a-zA-Z_][a-zA-Z0-9_]*)\s+\$value$/.exec(subject)?.[1];
    if (fn) return functionProblem(fn, `{{ $value | ${fn} }}`);
    return { message: `unsupported template {{ ${action} }}`, fix: SUPPORTED };
  }
  if (label && pipes.length > 0) return { message: `{{ ${action} }}: functions apply to $value only`, fix: `write {{ ${subject} }}` };
  if (pipes.length > 1) return { message: `{{ ${action} }}: one function per value`, fix: SUPPORTED };
  const fn = pipes[0];
  if (fn !== undefined && !(TEMPLATE_FUNCTIONS as readonly string[]).includes(fn)) return functionProblem(fn, undefined);
  return undefined;
}

function functionProblem(fn: string, rewrite: string | undefined): TemplateProblem {
  if ((TEMPLATE_FUNCTIONS as readonly string[]).includes(fn)) return { message: `template function ${fn} goes after a pipe`, fix: `write ${rewrite}` };
  const guess = closestWord(fn, TEMPLATE_FUNCTIONS);
  if (PROMETHEUS_ONLY.includes(fn)) return { message: `template function "${fn}" is Prometheus' but summaries do not render it`, fix: `use ${TEMPLATE_FUNCTIONS.join(', ')}` };
  return { message: `unknown template function "${fn}"`, fix: guess ? `did you mean "${guess}"?` : `use ${TEMPLATE_FUNCTIONS.join(', ')}` };
}
