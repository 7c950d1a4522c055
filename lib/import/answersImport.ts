import type { ImportStore } from '../store/importStore';

/** A stored question whose answer the file names by its source id. */
export interface AnswerLink {
  line: number;
  /** The source the question's id came from, which names the answer's too. */
  source: string;
  questionExternalId: string;
  threadId: string;
  questionId: string;
  answerExternalId: string;
}

export interface AnswersImport {
  /** A question just stored (or found stored already: a run completed again) that names its answer. */
  add(link: AnswerLink): void;
  /** Sets the answers of the questions added so far whose reply is stored; the others wait for `finish`. */
  flush(): Promise<void>;
  /** Once every comment is stored: the waiting answers are tried once more, and dropped with a warning if their reply never came. */
  finish(): Promise<void>;
}

/**
 * Questions' answers (a Threadline export's `answerId`). An answer is a reply, so it comes after its
 * question in the file and the question is stored without it; the answer's source id is then mapped
 * as a parent's is (`import_sources`), and set on the question by the store. A reply that is not in
 * the file or was skipped leaves its question open: not an error, a warning in the report.
 */
export function createAnswersImport(options: {
  store: { imports: Pick<ImportStore, 'findMapped' | 'setAnswers'> };
  batchSize: number;
  warn: (message: string) => void;
}): AnswersImport {
  const { imports } = options.store;
  let pending: AnswerLink[] = [];
  /** Links whose reply was not stored yet at their page's end. */
  const later: AnswerLink[] = [];

  async function write(links: AnswerLink[], last: boolean): Promise<void> {
    const found: { link: AnswerLink; answerId: string }[] = [];
    for (const source of new Set(links.map((l) => l.source))) {
      const ofSource = links.filter((l) => l.source === source);
      const mapped = await imports.findMapped({ source, kind: 'comment', externalIds: ofSource.map((l) => l.answerExternalId) });
      for (const link of ofSource) {
        const answerId = mapped.get(link.answerExternalId);
        if (answerId) found.push({ link, answerId });
        else if (!last) later.push(link);
        else options.warn(`line ${link.line}: comment ${link.questionExternalId}'s answer ${link.answerExternalId} is not in the file or was skipped: the question is imported unanswered`);
      }
    }
    const outcomes = await imports.setAnswers(found.map(({ link, answerId }) => ({ threadId: link.threadId, questionId: link.questionId, answerId })));
    outcomes.forEach((outcome, i) => {
      const { link } = found[i]!;
      if (outcome === 'not_in_branch') {
        options.warn(`line ${link.line}: comment ${link.questionExternalId}'s answer ${link.answerExternalId} is not a reply below it: the question is imported unanswered`);
      }
    });
  }

  async function flush(): Promise<void> {
    const links = pending;
    pending = [];
    for (let i = 0; i < links.length; i += options.batchSize) await write(links.slice(i, i + options.batchSize), false);
  }

  return {
    add(link) {
      pending.push(link);
    },

    flush,

    async finish() {
      await flush();
      for (let i = 0; i < later.length; i += options.batchSize) await write(later.slice(i, i + options.batchSize), true);
    },
  };
}
