import type { RequestHandler } from 'express';
import { timingSafeEqual } from 'node:crypto';

const sameSecret = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** GET /webhook: Meta's subscription handshake; echo the challenge only for our token. */
export function webhookVerifyRoute(verifyToken: string): RequestHandler {
  return (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && typeof token === 'string' && sameSecret(token, verifyToken) && typeof challenge === 'string') {
      res.status(200).type('text/plain').send(challenge);
      return;
    }
    res.status(403).json({ error: 'verification failed' });
  };
}
