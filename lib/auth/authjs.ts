import "server-only";
import { randomBytes } from "node:crypto";
import { PrismaAdapter } from "@auth/prisma-adapter";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import GitHub from "next-auth/providers/github";
import { config } from "@/lib/config";
import { db } from "@/lib/db/client";
import { isDomainError } from "@/lib/errors";
import { endSession } from "@/lib/auth/revocation";
import { authSecret } from "@/lib/auth/session-cookie";
import { activeSessionUser } from "@/lib/auth/session-state";
import { clientIp } from "@/lib/http/handler";
import { safeReturnPath } from "@/lib/http/return-path";
import { credentialsSchema } from "@/lib/users/schema";
import { authenticate } from "@/lib/users/service";

/**
 * Browser sessions: Auth.js v5 with the Credentials provider, checking the same argon2id hashes and the same
 * rate limiter as POST /login, and JWT sessions in an HttpOnly cookie. Each session carries its own id and the
 * account's session version, checked against PostgreSQL on every use (lib/auth/session-state.ts), so that
 * signing out, "sign out everywhere", disabling or deleting the account end it on the server too. The Prisma
 * adapter is wired so that an OAuth provider only needs configuration (AUTH_GITHUB_ID + AUTH_GITHUB_SECRET).
 */

declare module "next-auth" {
  interface Session {
    /** The session's id and version, for the app's own check (lib/auth/session.ts). */
    sid?: string;
    sv?: number;
  }
}

/** Sign-in refused by the rate limiter; the code reaches the form, which says so. */
class RateLimitedSignin extends CredentialsSignin {
  override code = "rate_limited";
}

/** Right password, but the account is disabled. */
class DisabledSignin extends CredentialsSignin {
  override code = "disabled";
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
          return { id: user.id, email: user.email, name: user.name, sessionVersion: user.sessionVersion };
        } catch (error) {
          if (isDomainError(error) && error.kind === "rate_limited") throw new RateLimitedSignin();
          if (isDomainError(error) && error.kind === "forbidden") throw new DisabledSignin();
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
      // An OAuth sign-in reaches here with the user row from the adapter.
      signIn({ user }) {
        return !(user as { disabledAt?: Date | null }).disabledAt;
      },
      async jwt({ token, user }) {
        if (user?.id) {
          token.sub = user.id;
          token.sid = randomBytes(16).toString("base64url");
          token.sv = (user as { sessionVersion?: number }).sessionVersion ?? 0;
          return token;
        }
        // null ends the session: /api/auth/session answers null and clears the cookie instead of refreshing it.
        try {
          return (await activeSessionUser(token)) ? token : null;
        } catch {
          // The database cannot be asked: keep the cookie; pages and actions check again and fail, not serve.
          return token;
        }
      },
      // Every redirect Auth.js makes (callbackUrl parameters and cookies) stays on the site, as the pages' do.
      redirect({ url, baseUrl }) {
        return `${baseUrl}${safeReturnPath(url, baseUrl)}`;
      },
      session({ session, token }) {
        if (token.sub) session.user.id = token.sub;
        if (typeof token.sid === "string") session.sid = token.sid;
        if (typeof token.sv === "number") session.sv = token.sv;
        return session;
      },
    },
    events: {
      // Auth.js clears the cookie; this ends the session for any copy of it too.
      async signOut(message) {
        if ("token" in message && message.token) await endSession(message.token);
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
