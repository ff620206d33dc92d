import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { authRoutes } from './auth/routes.js';
import { calendarRoutes } from './calendar/routes.js';
import { directoryRoutes } from './directory/routes.js';
import { importRoutes } from './directory/import-routes.js';
import { memberRoutes } from './directory/member-routes.js';
import { incomingActionRoutes } from './incoming/action-routes.js';
import { incomingRoutes } from './incoming/routes.js';
import { documentTypeRoutes } from './document-types/routes.js';
import { outgoingRoutes } from './outgoing/routes.js';
import { outgoingActionRoutes } from './outgoing/action-routes.js';
import { trackingRoutes } from './tracking/routes.js';
import { paperRoutes } from './incoming/paper-routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { registerRoutes } from './registers/routes.js';
import { reportRoutes } from './reports/routes.js';
import { signingRoutes } from './signing/routes.js';
import { dossiersFeature } from './dossiers/archive-routes.js';
import { searchRoutes } from './search/routes.js';
import { installAccessCheck } from './http/access.js';
import type { OfficeContext } from './http/context.js';
import { AppError } from './http/errors.js';

export interface AppOptions {
  /** The built web app (apps/web/dist), served at `/` when present. */
  webRoot?: string;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp(ctx: OfficeContext, options: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    // One request id from the browser through the office to the hub and back.
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    bodyLimit: 1_048_576,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'vanban office API',
        description: 'Quản lý văn bản và hồ sơ công việc: the office API used by the web app.',
        version: '0.1.0',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'vanban_session' } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: ctx.settings.maxUploadBytes, files: 1, fields: 10 } });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof AppError) return reply.status(error.status).send(error.toBody());
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: `${error.validationContext ?? ''}${v.instancePath}`,
        message: v.message,
      }));
      return reply.status(400).send(new AppError('validation_failed', details).toBody());
    }
    const code = (error as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' || code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.status(413).send(new AppError('payload_too_large').toBody());
    }
    if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') {
      return reply.status(415).send(new AppError('unsupported_media_type').toBody());
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      return reply.status(400).send(new AppError('validation_failed', { reason: (error as Error).message }).toBody());
    }
    request.log.error({ err: error }, 'request failed');
    return reply.status(500).send(new AppError('internal_error').toBody());
  });

  installAccessCheck(app, ctx);
  await app.register(authRoutes(ctx), { prefix: '/api' });
  await app.register(directoryRoutes(ctx), { prefix: '/api' });
  await app.register(importRoutes(ctx), { prefix: '/api' });
  await app.register(memberRoutes(ctx), { prefix: '/api' });
  await app.register(calendarRoutes(ctx), { prefix: '/api' });
  await app.register(incomingRoutes(ctx), { prefix: '/api' });
  await app.register(incomingActionRoutes(ctx), { prefix: '/api' });
  await app.register(trackingRoutes(ctx), { prefix: '/api' });
  await app.register(documentTypeRoutes(ctx), { prefix: '/api' });
  await app.register(outgoingRoutes(ctx), { prefix: '/api' });
  await app.register(outgoingActionRoutes(ctx), { prefix: '/api' });
  await app.register(paperRoutes(ctx), { prefix: '/api' });
  await app.register(notificationRoutes(ctx), { prefix: '/api' });
  await app.register(registerRoutes(ctx), { prefix: '/api' });
  await app.register(signingRoutes(ctx), { prefix: '/api' });
  await app.register(dossiersFeature(ctx), { prefix: '/api' });
  await app.register(searchRoutes(ctx), { prefix: '/api' });
  await app.register(reportRoutes(ctx), { prefix: '/api' });

  const webRoot = options.webRoot;
  const hasWeb = webRoot !== undefined && existsSync(join(webRoot, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false });
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || !hasWeb || request.method !== 'GET') {
      return reply.status(404).send(new AppError('not_found').toBody());
    }
    // The web app routes on the client: every other page is its index.html.
    return reply.type('text/html').sendFile('index.html');
  });
  return app;
}
