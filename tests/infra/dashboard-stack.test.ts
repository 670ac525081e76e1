// The supervisors' dashboard stack per environment: a private bucket only CloudFront reads (origin access control),
// HTTPS only with a CSP naming the API and the sign-in domain, the files and a config.js deployed, a PKCE client.
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { environmentNames } from '../../infra/config/environments';
import { type SynthedEnv, synthForBlock } from './support';

type Resource = { Type: string; Properties: Record<string, unknown> };

describe.each(environmentNames)('the %s dashboard stack', (envName) => {
  let env: SynthedEnv;
  let template: Template;
  synthForBlock(envName, (synthed) => {
    env = synthed;
    template = Template.fromStack(synthed.dashboard);
  });
  const id = (construct: { node: { defaultChild?: unknown } }) =>
    env.dashboard.getLogicalId(construct.node.defaultChild as never);
  const only = (type: string) => {
    const found = Object.values(template.findResources(type)) as Resource[];
    expect(found, type).toHaveLength(1);
    return found[0]!.Properties;
  };

  it('is its own stack, motcua-<env>-dashboard, in the environment’s region', () => {
    expect(env.dashboard.stackName).toBe(`motcua-${envName}-dashboard`);
    expect(env.dashboard.region).toBe(env.config.region);
  });

  it('keeps the files in a private, encrypted, versioned, access-logged bucket that refuses plain HTTP', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: id(env.dashboard.logBucket) },
        LogFilePrefix: 'site/',
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[];
    const site = policies.find(
      (p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id(env.dashboard.bucket) }),
    )!;
    const statements = (site.Properties.PolicyDocument as { Statement: Record<string, unknown>[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    // The only reader is CloudFront, and only this distribution; no statement lets anyone else in.
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudfront.amazonaws.com' },
      Action: 's3:GetObject',
      Condition: { StringEquals: { 'AWS:SourceArn': expect.anything() } },
    });
    expect(JSON.stringify(statements)).not.toContain('"Principal":"*"');
  });

  it('serves them through CloudFront with origin access control, HTTPS only and TLS 1.2', () => {
    const oac = only('AWS::CloudFront::OriginAccessControl').OriginAccessControlConfig;
    expect(oac).toMatchObject({
      OriginAccessControlOriginType: 's3',
      SigningBehavior: 'always',
      SigningProtocol: 'sigv4',
    });
    const config = only('AWS::CloudFront::Distribution').DistributionConfig as Record<string, unknown>;
    const [headersPolicy] = Object.keys(template.findResources('AWS::CloudFront::ResponseHeadersPolicy'));
    expect(config).toMatchObject({
      DefaultRootObject: 'index.html',
      Aliases: [env.config.dashboard.domainName],
      ViewerCertificate: {
        AcmCertificateArn: env.config.dashboard.certificateArn,
        MinimumProtocolVersion: 'TLSv1.2_2021',
        SslSupportMethod: 'sni-only',
      },
      DefaultCacheBehavior: {
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        ResponseHeadersPolicyId: { Ref: headersPolicy },
      },
      Logging: { Prefix: 'cloudfront/' },
    });
    const [origin] = config.Origins as Record<string, unknown>[];
    expect(origin).toMatchObject({
      OriginAccessControlId: {
        'Fn::GetAtt': [Object.keys(template.findResources('AWS::CloudFront::OriginAccessControl'))[0], 'Id'],
      },
      S3OriginConfig: { OriginAccessIdentity: '' },
    });
  });

  it('sends security headers whose CSP allows only itself, the API and the sign-in domain', () => {
    const policy = only('AWS::CloudFront::ResponseHeadersPolicy').ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
    };
    const headers = policy.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toMatchObject({
      AccessControlMaxAgeSec: 63_072_000,
      Override: true,
    });
    expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
    expect(headers.ContentTypeOptions).toMatchObject({ Override: true });
    expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
    const csp = JSON.stringify(env.dashboard.resolve(headers.ContentSecurityPolicy!.ContentSecurityPolicy));
    expect(csp).toContain("default-src 'none'; script-src 'self'; style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // connect-src: self, the execute-api origin of this environment's API, the Cognito hosted domain; nothing else.
    const connect = /connect-src ([^;]*);/.exec(csp)?.[1] ?? '';
    expect(connect).toMatch(/^'self' https:\/\/",\{.*\},".execute-api\./);
    expect(connect).toContain(`.auth.${env.config.region}.amazoncognito.com`);
    expect(connect).not.toContain('*');
    expect(connect.match(/https:/g)).toHaveLength(2);
  });

  it('deploys web/dashboard, Chart.js and a config.js for this API and client, then invalidates the cache', () => {
    const deployment = only('Custom::CDKBucketDeployment');
    expect(deployment).toMatchObject({
      DestinationBucketName: { Ref: id(env.dashboard.bucket) },
      Prune: true,
      DistributionId: { Ref: id(env.dashboard.distribution) },
      DistributionPaths: ['/*'],
    });
    expect(deployment.SourceObjectKeys).toHaveLength(3);
    const config = JSON.stringify(deployment.SourceMarkers);
    expect(config).toContain('"kind\\":\\"cognito\\"');
    expect(config).toContain(`"redirectUri\\":\\"https://${env.config.dashboard.domainName}/\\"`);
    expect(config).toContain('.execute-api.');
    expect(config).toContain(id(env.dashboard.client));
    expect(config).toContain(id(env.dashboard.signInDomain));
  });

  it('signs in through the user pool’s hosted UI with a public code-flow client and nothing else', () => {
    expect(only('AWS::Cognito::UserPoolDomain')).toMatchObject({
      Domain: env.config.dashboard.authDomainPrefix,
    });
    const client = only('AWS::Cognito::UserPoolClient');
    expect(client).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: [`https://${env.config.dashboard.domainName}/`],
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      WriteAttributes: [],
      SupportedIdentityProviders: ['COGNITO'],
    });
    // The pool is the stateful stack's: the API's authorizer accepts this client's tokens.
    expect(JSON.stringify(env.dashboard.resolve(client.UserPoolId))).toContain(
      Stack.of(env.stateful.userPool).stackName,
    );
    // And the API admits the dashboard's origin.
    expect(env.config.corsOrigins).toContain(`https://${env.config.dashboard.domainName}`);
  });
});
