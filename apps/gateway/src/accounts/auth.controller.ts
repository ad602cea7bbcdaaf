import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuthenticatedRequest, CurrentSession, Public, SessionRoute } from '../auth/principal';
import { API_PREFIX, GATEWAY_CONFIG, GatewayConfig } from '../config';
import { SuccessDto } from '../openapi/response-schemas';
import { AccountsRepository, SessionRow } from './accounts.repository';
import { AccountsService, RequestContext, StartedSession } from './accounts.service';
import {
  AcceptedDto,
  EmailDto,
  LoginDto,
  ResetPasswordDto,
  SessionDto,
  SignUpDto,
  SwitchOrganizationDto,
  TokenDto,
} from './dto/account.dto';
import { hashSecret } from './one-time-token';
import { clearSessionCookies, setSessionCookies } from './session-cookies';
import { ApiErrorResponse } from '../openapi/api-error-response';

export function requestContext(request: AuthenticatedRequest): RequestContext {
  return { ip: request.ip, userAgent: request.headers['user-agent'], requestId: request.requestId };
}

/** Console accounts: sign-up, email verification, sign-in/out, password reset, the current session. */
@ApiTags('auth')
@Controller(`${API_PREFIX}/auth`)
export class AuthController {
  constructor(
    private readonly accounts: AccountsService,
    private readonly repository: AccountsRepository,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  @Public()
  @Post('signup')
  @HttpCode(202)
  @ApiAcceptedResponse({
    type: AcceptedDto,
    description: 'Always the same answer: a verification link (or, for a known email, a password-reset link) is emailed',
  })
  async signUp(@Body() body: SignUpDto, @Req() request: AuthenticatedRequest): Promise<AcceptedDto> {
    await this.accounts.signUp(body, requestContext(request));
    return { status: 'accepted', message: 'Check your inbox for a link to confirm your email address' };
  }

  @Public()
  @Post('verify-email')
  @HttpCode(200)
  @ApiOkResponse({
    type: SessionDto,
    description: 'The address is confirmed and the user signed in (session cookie set)',
  })
  @ApiErrorResponse(HttpStatus.GONE, 'The link was already used or has expired (token_used, token_expired)')
  async verifyEmail(
    @Body() body: TokenDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    return this.begin(await this.accounts.verifyEmail(body.token, requestContext(request)), response);
  }

  @Public()
  @Post('verify-email/resend')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedDto })
  async resendVerification(@Body() body: EmailDto, @Req() request: AuthenticatedRequest): Promise<AcceptedDto> {
    await this.accounts.resendVerification(body.email, requestContext(request));
    return { status: 'accepted', message: 'If that address waits for confirmation, a new link is on its way' };
  }

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({
    type: SessionDto,
    description:
      'Signed in: HttpOnly session cookie and the pw_csrf cookie set. Every failure is the same 401; 429 past the per-IP or per-account limit',
  })
  async login(
    @Body() body: LoginDto,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SessionDto> {
    return this.begin(await this.accounts.login(body.email, body.password, requestContext(request)), response);
  }

  @SessionRoute()
  @ApiCookieAuth()
  @Post('logout')
  @HttpCode(200)
  @ApiOkResponse({ type: SuccessDto })
  async logout(
    @CurrentSession() session: SessionRow,
    @Req() request: AuthenticatedRequest,
    @Res({ passthrough: true }) response: Response,
  ) {
    await this.accounts.logout(session, requestContext(request));
    clearSessionCookies(response, this.config.NODE_ENV === 'production');
    return { success: true };
  }

  @SessionRoute()
  @ApiCookieAuth()
  @Get('session')
  @ApiOkResponse({ type: SessionDto, description: 'Who is signed in, in which organisation, with which role' })
  session(@CurrentSession() session: SessionRow): Promise<SessionDto> {
    return this.accounts.describe(session);
  }

  @SessionRoute()
  @ApiCookieAuth()
  @Post('switch-organization')
  @HttpCode(200)
  @ApiOkResponse({ type: SessionDto })
  async switchOrganization(@CurrentSession() session: SessionRow, @Body() body: SwitchOrganizationDto): Promise<SessionDto> {
    await this.accounts.switchOrganization(session, body.organizationId);
    return this.accounts.describe((await this.repository.findSessionById(session.id))!);
  }

  @Public()
  @Post('password-reset')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: AcceptedDto, description: 'Always the same answer, whether or not the address has an account' })
  async requestPasswordReset(@Body() body: EmailDto, @Req() request: AuthenticatedRequest): Promise<AcceptedDto> {
    await this.accounts.requestPasswordReset(body.email, requestContext(request));
    return { status: 'accepted', message: 'If that address has an account, a link to reset its password is on its way' };
  }

  @Public()
  @Post('password-reset/confirm')
  @HttpCode(200)
  @ApiOkResponse({ type: SuccessDto, description: 'Password changed; every session of the user is ended' })
  @ApiErrorResponse(HttpStatus.GONE, 'The link was already used or has expired (token_used, token_expired)')
  async resetPassword(@Body() body: ResetPasswordDto, @Req() request: AuthenticatedRequest) {
    await this.accounts.resetPassword(body.token, body.password, requestContext(request));
    return { success: true };
  }

  private async begin(started: StartedSession, response: Response): Promise<SessionDto> {
    setSessionCookies(response, started.token, started.csrfToken, {
      secure: this.config.NODE_ENV === 'production',
      maxAgeMs: started.expiresAt.getTime() - Date.now(),
    });
    const session = await this.repository.findSession(hashSecret(started.token));
    return this.accounts.describe(session!);
  }
}
