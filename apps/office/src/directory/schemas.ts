import { z } from 'zod';
import { roleSchema } from './roles.js';

export const agencySchema = z
  .object({
    id: z.uuid(),
    code: z.string().describe('Agency code (mã định danh), e.g. 000.00.00.H49'),
    name: z.string(),
    shortName: z.string(),
    notationAbbreviation: z
      .string()
      .nullable()
      .describe('What the agency writes in its documents’ notations, e.g. UBND, STC (Nghị định 30/2020); needed to number'),
    level: z.string(),
    parentId: z.uuid().nullable(),
    childCount: z.number().int(),
  })
  .describe('Agency');
export type AgencyView = z.infer<typeof agencySchema>;

export const levelSchema = z.object({ code: z.string(), nameVi: z.string(), nameEn: z.string(), rank: z.number().int() }).describe('Level');

export const departmentSchema = z.object({ id: z.uuid(), agencyId: z.uuid(), code: z.string(), name: z.string() }).describe('Department');

export const agencyUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    fullName: z.string(),
    email: z.string().nullable(),
    departmentId: z.uuid().nullable(),
    departmentName: z.string().nullable(),
    roles: z.array(roleSchema),
    position: z.string().nullable(),
    locked: z.boolean(),
  })
  .describe('AgencyUser');

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'letters a-z, digits, dot, dash or underscore; 2 to 64 characters');

export const departmentCodeSchema = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.-]{1,30}$/);

export const agencyParams = z.object({ agencyId: z.uuid() });
