/**
 * Layout analysis on pictures made here: what a documentation screenshot adds around a screen (a frame,
 * a border) is not on the screen.
 */
import {expect} from 'chai'

import type {RgbaImage} from '../../../src/screen/image.js'
import {analyzeLayout} from '../../../src/screen/layout.js'
import {padImage} from '../../helpers/screen-images.js'

function solid(width: number, height: number, [r, g, b]: readonly number[]): RgbaImage {
  const data = Buffer.alloc(width * height * 4)
  for (let o = 0; o < data.length; o += 4) data.set([r, g, b, 255], o)
  return {data, height, width}
}

describe('screen layout', () => {
  it('a black screen is blank, also inside a grey frame or a white border', () => {
    const black = solid(640, 480, [0, 0, 0])
    expect(analyzeLayout(black).blank).to.equal(true)
    expect(analyzeLayout(padImage(black, 0, {frame: 1, frameColour: [160, 160, 160]})).blank).to.equal(true)
    expect(analyzeLayout(padImage(black, 0, {frame: 6, frameColour: [255, 255, 255]})).blank).to.equal(true)
  })

  it('a screen with a picture on it is not blank', () => {
    const screen = solid(640, 480, [0, 0, 0])
    for (let y = 200; y < 280; y++)
      for (let x = 280; x < 360; x++) screen.data.set([0, 120, 215, 255], (y * 640 + x) * 4)
    expect(analyzeLayout(screen).blank).to.equal(false)
  })
})
