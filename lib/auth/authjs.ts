import "server-only";
import { createHash } from "node:crypto";
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors";
import { clientIp } from "@/lib/http/handler";
import { credentialsSchema } from "@/lib/users/schema";
import { authenticate } from "@/lib/users/service";

/**
 * Browser sessions: Auth.js v5 with the Credentials provider, checking the same argon2id hashes and the same
 * rate limiter as POST /login, and JWT sessions in an HttpOnly cookie. The Prisma adapter is wired so that an
 * OAuth provider only needs configuration (AUTH_GITHUB_ID + AUTH_GITHUB_SECRET turn GitHub on).
 */

/** Sign-in refused by the rate limiter; the code reaches the form, which says so. */
class RateLimitedSignin extends CredentialsSignin {
  override code = "rate_limited";
}

function authSecret(): string {
  const c = config();
  // A separate secret is better; deriving one keeps the zero-configuration run working with SECRET_KEY alone.
  return c.AUTH_SECRET ?? createHash("sha256").update(`cloudnotes-authjs:${c.SECRET_KEY}`).digest("hex");
}

function authConfig(): NextAuthConfig {
  const c = config();
  const providers: NextAuthConfig["providers"] = [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(raw) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        try {
          const user = await authenticate(parsed.data, clientIp());
          return { id: user.id, email: user.email, name: user.name };
        } catch (error) {
          if (isDomainError(error) && error.kind === "rate_limited") throw new RateLimitedSignin();
          if (isDomainError(error) && error.kind === "unauthorized") return null;
          throw error;
        }
      },
    }),
  ];
  if (c.AUTH_GITHUB_ID && c.AUTH_GITHUB_SECRET) {
    providers.push(GitHub({ clientId: c.AUTH_GITHUB_ID, clientSecret: c.AUTH_GITHUB_SECRET }));
  }
  return {
    adapter: PrismaAdapter(db()),
    providers,
    secret: authSecret(),
    // Behind NGINX the public URL comes from X-Forwarded-Host/Proto; the app is only reachable through it.
    trustHost: true,
    session: { strategy: "jwt", maxAge: c.SESSION_MAX_AGE_DAYS * 24 * 3600 },
    pages: { signIn: "/signin", error: "/signin" },
    callbacks: {
      jwt({ token, user }) {
        if (user?.id) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        return session;
      },
    },
    logger: {
      // Auth.js logs a stack for every refused sign-in; those are expected and counted in metrics instead.
      error(error) {
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error(error);
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => authConfig());
