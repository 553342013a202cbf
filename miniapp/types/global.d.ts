/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.jpg';
declare module '*.svg';
declare module '*.css';
declare module '*.scss';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test';
    /** Platform being built; Taro replaces it at build time. */
    TARO_ENV: 'weapp' | 'h5' | string;
    /** API origin without a trailing slash: '' (same origin) for H5, the https domain for weapp. */
    TARO_APP_API_BASE?: string;
    /** WeChat app id written into dist/weapp/project.config.json. */
    TARO_APP_ID?: string;
  }
}
