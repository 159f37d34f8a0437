// Programs for the providers' kernel tests: the smallest valid program of a provider's kind, and a
// counter of one process's events (from the links' test support) placed through a provider.
import { Assembler, R0, encode } from '../../asm/index.js';
import { Program } from '../../kernel/program.js';
import type { AttachType, ProgramType } from '../../sys/index.js';
import type { ProgramKind } from '../provider.js';

/** `r0 = 0; exit`, loaded as the program kind a provider asks for. */
export function loadTrivialProgram(name: string, kind: ProgramKind): Program {
  const { bytes } = encode(new Assembler().mov64(R0, 0).exit().instructions());
  return Program.load({
    name,
    type: kind.programType as ProgramType,
    instructions: bytes,
    license: 'GPL',
    expectedAttachType: kind.expectedAttachType as AttachType | undefined,
    attachBtfId: kind.attachBtfId,
  });
}
