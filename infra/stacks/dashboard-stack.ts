// The supervisors' dashboard in the cloud: web/dashboard in a private bucket behind CloudFront (origin access control,
// HTTPS only, a strict CSP), its config.js written from this environment's API and Cognito, and the Cognito app
// client and hosted sign-in domain its code flow with PKCE uses.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Aws, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachePolicy,
  Distribution,
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import {
  ClientAttributes,
  OAuthScope,
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolDomain,
} from 'aws-cdk-lib/aws-cognito';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import type { Construct } from 'constructs';
import { repoRoot } from '../bundling';
import type { EnvironmentConfig } from '../config/environments';
import { acknowledgeRules, acknowledgeWildcardResource } from '../nag';
import type { ApiStack } from './api-stack';
import type { StatefulStack } from './stateful-stack';

export interface DashboardStackProps extends StackProps {
  config: EnvironmentConfig;
  stateful: StatefulStack;
  api: ApiStack;
}

const webDir = join(repoRoot, 'web', 'dashboard');
const chartFile = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

/** Where the dashboard's own page and script live: the same string gives the CSP and the test its expectation. */
export function dashboardCsp(apiOrigin: string, signInOrigin: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    // The API, and the hosted sign-in domain the browser trades its authorization code with.
    `connect-src 'self' ${apiOrigin} ${signInOrigin}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export class DashboardStack extends Stack {
  readonly bucket: Bucket;
  readonly logBucket: Bucket;
  readonly distribution: Distribution;
  readonly client: UserPoolClient;
  readonly signInDomain: UserPoolDomain;
  readonly deployment: BucketDeployment;

  constructor(scope: Construct, id: string, props: DashboardStackProps) {
    super(scope, id, props);
    const { config, stateful, api } = props;
    const removalPolicy = config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const origin = `https://${config.dashboard.domainName}`;

    // CloudFront's standard logs are delivered with an ACL grant, so this one log bucket keeps ACLs (owner-preferred);
    // the site bucket's access logs land beside them under their own prefix.
    this.logBucket = new Bucket(this, 'LogBucket', {
      // Server access logging and CloudFront standard logging deliver only to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        {
          id: 'expire-logs',
          expiration: Duration.days(config.accessLogExpirationDays),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy,
    });
    acknowledgeRules(
      this.logBucket,
      ['NIST.800.53.R5-S3DefaultEncryptionKMS'],
      'S3 server access logging and CloudFront standard logging deliver only to a bucket encrypted with SSE-S3, not SSE-KMS',
    );
    acknowledgeRules(
      this.logBucket,
      ['NIST.800.53.R5-S3BucketReplicationEnabled'],
      'Access logs expire after accessLogExpirationDays by design; a replica would keep a second copy of what is meant to go',
    );

    this.bucket = new Bucket(this, 'SiteBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      versioned: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: this.logBucket,
      serverAccessLogsPrefix: 'site/',
      // Each deploy replaces every file; old versions are only for a quick rollback.
      lifecycleRules: [
        { id: 'expire-old-versions', noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy,
    });
    acknowledgeRules(
      this.bucket,
      ['NIST.800.53.R5-S3DefaultEncryptionKMS'],
      "The bucket holds the dashboard's page, script and styles, which CloudFront serves to anyone: SSE-S3 protects them at rest, and a customer key would guard nothing a visitor cannot download (the figures come from the API, never from here)",
    );
    acknowledgeRules(
      this.bucket,
      ['NIST.800.53.R5-S3BucketReplicationEnabled'],
      'Its content is rebuilt from the repository by every deploy (BucketDeployment); a replica would be a second copy of a build output',
    );

    // Sign-in: the hosted UI of the stateful stack's user pool, and an app client of its own for the code flow with
    // PKCE in the browser (a public client: no secret, tokens in sessionStorage only).
    this.signInDomain = new UserPoolDomain(this, 'SignInDomain', {
      userPool: stateful.userPool,
      cognitoDomain: { domainPrefix: config.dashboard.authDomainPrefix },
    });
    this.client = new UserPoolClient(this, 'DashboardClient', {
      userPool: stateful.userPool,
      userPoolClientName: `motcua-${config.name}-dashboard`,
      generateSecret: false,
      // No password flow of its own: people sign in on the hosted UI (TOTP MFA as the pool requires).
      authFlows: { user: false, userPassword: false, userSrp: false, custom: false },
      oAuth: {
        flows: { authorizationCodeGrant: true },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [`${origin}/`],
        logoutUrls: [`${origin}/`],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      // Branch and agency decide what a caller may see: nobody writes attributes through this client.
      writeAttributes: new ClientAttributes(),
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      // A working day: the page keeps only the ID token, so this bounds the hosted UI's session for the client.
      refreshTokenValidity: Duration.hours(8),
      enableTokenRevocation: true,
    });

    const apiOrigin = `https://${api.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
    const signInOrigin = this.signInDomain.baseUrl();
    const headers = new ResponseHeadersPolicy(this, 'SecurityHeaders', {
      responseHeadersPolicyName: `motcua-${config.name}-dashboard`,
      comment: "The supervisors' dashboard: its own files, the API and the sign-in domain only",
      securityHeadersBehavior: {
        contentSecurityPolicy: {
          contentSecurityPolicy: dashboardCsp(apiOrigin, signInOrigin),
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
        referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      },
      customHeadersBehavior: {
        customHeaders: [
          { header: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()', override: true },
          { header: 'Cross-Origin-Opener-Policy', value: 'same-origin', override: true },
        ],
      },
    });

    this.distribution = new Distribution(this, 'Distribution', {
      comment: `motcua ${config.name}: supervisors' dashboard`,
      defaultRootObject: 'index.html',
      domainNames: [config.dashboard.domainName],
      certificate: Certificate.fromCertificateArn(this, 'Certificate', config.dashboard.certificateArn),
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
      httpVersion: HttpVersion.HTTP2_AND_3,
      // North America, Europe, Asia: the supervisors are in Hanoi; the cheapest class has no Vietnamese edge.
      priceClass: PriceClass.PRICE_CLASS_200,
      enableLogging: true,
      logBucket: this.logBucket,
      logFilePrefix: 'cloudfront/',
      defaultBehavior: {
        origin: S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
      },
    });
    acknowledgeRules(
      this.distribution,
      ['AwsSolutions-CFR1'],
      'No geo restriction: the public aggregates are for anyone (press, researchers, citizens abroad), and the staff panels are guarded by sign-in and the API, not by where a person is',
    );
    acknowledgeRules(
      this.distribution,
      ['AwsSolutions-CFR2'],
      "It serves static files only, cached at the edge; the API it calls has its own WAF with rate rules. A CLOUDFRONT-scope web ACL must live in us-east-1, outside this environment's single-region stacks",
    );

    const pageConfig = {
      apiBase: `https://${api.api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${api.stage.stageName}`,
      auth: {
        kind: 'cognito',
        domain: signInOrigin,
        clientId: this.client.userPoolClientId,
        redirectUri: `${origin}/`,
      },
    };
    const deploymentLogs = new LogGroup(this, 'DeploymentLogs', {
      retention: config.logRetention,
      removalPolicy,
    });
    acknowledgeRules(
      deploymentLogs,
      ['NIST.800.53.R5-CloudWatchLogGroupEncrypted'],
      'CloudWatch Logs encrypts the group at rest with service keys; it holds the names of the files a deploy copied, nothing personal',
    );
    this.deployment = new BucketDeployment(this, 'Files', {
      destinationBucket: this.bucket,
      sources: [
        // lib.d.ts is for the TypeScript tests; config.js is written below for this environment.
        Source.asset(webDir, { exclude: ['*.d.ts', 'config.js'] }),
        Source.data('vendor/chart.umd.min.js', readFileSync(chartFile, 'utf8')),
        Source.data('config.js', `export default ${this.toJsonString(pageConfig)};\n`),
      ],
      // Short: a deploy invalidates everything anyway, and a stale config.js must not outlive a client change.
      cacheControl: [CacheControl.fromString('public, max-age=300')],
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 256,
      logGroup: deploymentLogs,
    });
    this.acknowledgeDeploymentHandler();
  }

  /** CDK's BucketDeployment handler: a singleton function of the stack, with the role CDK gives it. */
  private acknowledgeDeploymentHandler() {
    acknowledgeRules(
      this.deployment.handlerRole,
      [
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      ],
      "CDK's BucketDeployment handler writes its logs with the AWS-managed basic execution policy; it runs only during a deploy",
    );
    acknowledgeRules(
      this.deployment.handlerRole,
      [
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        'AwsSolutions-IAM5[Resource::*]',
      ],
      "CDK's BucketDeployment grants its handler read on the deploy's assets and read-write on this site bucket's objects (every file it copies or prunes), and CloudFront CreateInvalidation, which has no resource-level permissions",
    );
    acknowledgeWildcardResource(
      this.deployment.handlerRole,
      `${this.bucket.bucketArn}/*`,
      'The BucketDeployment handler copies and prunes every file of this site bucket, and only of it',
    );
    // The bootstrap's file-asset bucket, where the deploy's zips are: the handler reads them and nothing else there.
    const placeholders: Record<string, string> = {
      Qualifier: String(
        this.node.tryGetContext('@aws-cdk/core:bootstrapQualifier') ??
          DefaultStackSynthesizer.DEFAULT_QUALIFIER,
      ),
      'AWS::AccountId': this.account,
      'AWS::Region': this.region,
    };
    const assetBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
      /\$\{([\w:]+)\}/g,
      (whole, name: string) => placeholders[name] ?? whole,
    );
    acknowledgeWildcardResource(
      this.deployment.handlerRole,
      `arn:${this.partition}:s3:::${assetBucket}/*`,
      "The BucketDeployment handler reads the deploy's own asset zips from the bootstrap bucket",
    );
    const handler = this.node.children.find((child) =>
      child.node.id.startsWith('Custom::CDKBucketDeployment'),
    );
    if (!handler) return;
    acknowledgeRules(
      handler,
      ['AwsSolutions-L1'],
      "CDK's BucketDeployment handler pins its own Python runtime; it is upgraded with aws-cdk-lib, not by this stack",
    );
    acknowledgeRules(
      handler,
      ['NIST.800.53.R5-LambdaInsideVPC'],
      'It runs only during a deploy and calls only S3 and CloudFront APIs; there is no private resource to reach',
    );
    acknowledgeRules(
      handler,
      ['NIST.800.53.R5-LambdaDLQ', 'Serverless-LambdaDLQ'],
      'CloudFormation invokes it synchronously as a custom resource and fails the deploy on an error; a Lambda DLQ only catches asynchronous invocations',
    );
    acknowledgeRules(
      handler,
      ['NIST.800.53.R5-LambdaConcurrency'],
      'One deploy at a time invokes it; a reservation would only take capacity from the account',
    );
    acknowledgeRules(
      handler,
      ['NIST.800.53.R5-IAMNoInlinePolicy'],
      "CDK's BucketDeployment writes its handler's grants inline on that role, which lives and dies with the handler",
    );
    acknowledgeRules(
      handler,
      ['Serverless-LambdaTracing', 'Serverless-LambdaLatestVersion'],
      "CDK's BucketDeployment handler and its runtime are CDK's; it runs once per deploy, where a trace would show nothing CloudFormation's events and its log group do not",
    );
  }
}
