import {
  context,
  propagation,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from "@opentelemetry/api";
import {
  ATTR_CLIENT_ADDRESS,
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_NETWORK_PROTOCOL_VERSION,
  ATTR_SERVER_PORT,
  ATTR_URL_PATH,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from "@opentelemetry/semantic-conventions";
import type { Request, RequestHandler, Response } from "express";
import { ATTR_HTTP_REQUEST_BODY_SIZE, ATTR_HTTP_RESPONSE_BODY_SIZE } from "./attributes.js";

export interface HttpServerSpanOptions {
  tracer: Tracer;
  /** Paths left untraced (probes and scrapes: frequent and dull). */
  untracedPaths?: readonly string[];
}

/**
 * One SERVER span per HTTP request, continuing the caller's W3C `traceparent` (a router's
 * subgraph fetch), with the HTTP semantic-convention attributes. Everything that runs for the
 * request, including listeners on its streams (the multipart parser reads the body from socket
 * events, which carry no context of their own), runs with this span active.
 */
export function httpServerSpan(options: HttpServerSpanOptions): RequestHandler {
  const { tracer } = options;
  const untraced = new Set(options.untracedPaths ?? []);
  return (req, res, next) => {
    if (untraced.has(req.path)) return next();
    const parent = propagation.extract(context.active(), req.headers);
    const span = tracer.startSpan(
      req.method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_HTTP_REQUEST_METHOD]: req.method,
          [ATTR_URL_PATH]: req.path,
          [ATTR_URL_SCHEME]: req.protocol,
          [ATTR_NETWORK_PROTOCOL_VERSION]: req.httpVersion,
          ...(req.socket.localPort === undefined ? {} : { [ATTR_SERVER_PORT]: req.socket.localPort }),
          ...(req.socket.remoteAddress === undefined
            ? {}
            : { [ATTR_CLIENT_ADDRESS]: req.socket.remoteAddress }),
          ...(req.headers["user-agent"] === undefined
            ? {}
            : { [ATTR_USER_AGENT_ORIGINAL]: req.headers["user-agent"] }),
          ...bodySize(ATTR_HTTP_REQUEST_BODY_SIZE, req.headers["content-length"]),
        },
      },
      parent,
    );
    const traced = trace.setSpan(parent, span);
    context.bind(traced, req);
    context.bind(traced, res);
    res.once("close", () => endHttpSpan(span, req, res));
    context.with(traced, next);
  };
}

function endHttpSpan(span: Span, req: Request, res: Response): void {
  const route = req.route === undefined ? undefined : `${req.baseUrl}${String(req.route.path)}`;
  if (route !== undefined) {
    span.setAttribute(ATTR_HTTP_ROUTE, route);
    span.updateName(`${req.method} ${route}`);
  }
  if (res.headersSent) {
    span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, res.statusCode);
    span.setAttributes(bodySize(ATTR_HTTP_RESPONSE_BODY_SIZE, res.getHeader("content-length")));
    if (res.statusCode >= 500) {
      span.setAttribute(ATTR_ERROR_TYPE, String(res.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  if (!res.writableFinished) span.addEvent("client closed the connection before the response ended");
  span.end();
}

function bodySize(attribute: string, header: unknown): Record<string, number> {
  const value = typeof header === "number" ? header : typeof header === "string" ? Number(header) : NaN;
  return Number.isSafeInteger(value) && value >= 0 ? { [attribute]: value } : {};
}
