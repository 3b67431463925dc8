// A headless stand-in for scratch-render (which needs WebGL), for the oracle in oracle.js.
//
// Ported from scratch-render 2.2.84 (BSD-3-Clause, Copyright (c) 2016, Massachusetts Institute of
// Technology): Drawable._calculateTransform, Rectangle.initFromModelMatrix, Skin.getFenceBounds
// (= Drawable.getAABB) and RenderWebGL.getFencedPositionOfDrawable, with the same Float32Array
// storage, so fenced positions agree with the Scratch player to the last bit.
//
// Not ported, and modelled instead for codehone's round 40x40 costume (sb3/write.py): tight bounds
// (getBounds, used by "if on edge, bounce" and "touching edge") and collisions are those of a
// circle of radius 20 * size / 100, where scratch-render rasterises the costume and takes its
// convex hull (under a pixel of difference). Pen lines, dots, stamps and clears are recorded.
'use strict';

const FENCE_WIDTH = 15;
const X_RIGHT = 240;
const Y_TOP = 180;

class Drawable {
    constructor (id) {
        this.id = id;
        this.skin = null;
        this._position = new Float32Array([0, 0, 0]);
        this._scale = new Float32Array([100, 100, 0]);
        this._direction = 90;
        this._visible = true;
        this._rotationMatrix = new Float32Array(16);
        this._modelMatrix = new Float32Array(16);
        this._skinScale = new Float32Array(3);
        this._rotationAdjusted = new Float32Array(3);
    }

    // Drawable._calculateTransform, all dirty flags taken as set.
    calculateTransform () {
        const rotation = (270 - this._direction) * Math.PI / 180;
        const c = Math.cos(rotation);
        const s = Math.sin(rotation);
        const rm = this._rotationMatrix;
        rm[0] = c; rm[1] = s; rm[4] = -s; rm[5] = c;
        const skinSize = this.skin ? this.skin.size : [0, 0];
        const center = this.skin ? this.skin.rotationCenter : new Float32Array(3);
        const ra = this._rotationAdjusted;
        ra[0] = (center[0] - (skinSize[0] / 2)) * this._scale[0] / 100;
        ra[1] = ((center[1] - (skinSize[1] / 2)) * this._scale[1] / 100) * -1;
        const ss = this._skinScale;
        ss[0] = skinSize[0] * this._scale[0] / 100;
        ss[1] = skinSize[1] * this._scale[1] / 100;
        const m = this._modelMatrix;
        m[0] = ss[0] * rm[0];
        m[1] = ss[0] * rm[1];
        m[4] = ss[1] * rm[4];
        m[5] = ss[1] * rm[5];
        m[12] = (rm[0] * ra[0]) + (rm[4] * ra[1]) + this._position[0];
        m[13] = (rm[1] * ra[0]) + (rm[5] * ra[1]) + this._position[1];
        return m;
    }

    // Drawable.getAABB via Rectangle.initFromModelMatrix
    getAABB () {
        const m = this.calculateTransform();
        const x = Math.abs(0.5 * m[0]) + Math.abs(0.5 * m[4]);
        const y = Math.abs(0.5 * m[1]) + Math.abs(0.5 * m[5]);
        const r = {left: -x + m[12], right: x + m[12], top: y + m[13], bottom: -y + m[13]};
        r.width = r.right - r.left;
        r.height = r.top - r.bottom;
        return r;
    }

    radius () {
        return 20 * Math.abs(this._scale[0]) / 100;
    }

    // the modelled tight bounds: the round costume's circle
    getBounds () {
        const r = this.radius();
        const x = this._position[0];
        const y = this._position[1];
        return {left: x - r, right: x + r, top: y + r, bottom: y - r, width: 2 * r, height: 2 * r};
    }
}

class StubRenderer {
    constructor (trace) {
        this.trace = trace;
        this.drawables = {};
        this.skins = {};
        this.nextId = 1;
        this.penClears = 0;
        this._allDrawables = this.drawables;
    }

    _newSkin (skin) {
        const id = this.nextId++;
        this.skins[id] = skin;
        return id;
    }

    // ---- lifecycle and layers
    setLayerGroupOrdering () {}
    createDrawable () {
        const id = this.nextId++;
        this.drawables[id] = new Drawable(id);
        return id;
    }
    destroyDrawable (id) {
        delete this.drawables[id];
    }
    setDrawableOrder () { return 0; }
    getDrawableOrder () { return 0; }
    draw () {}
    getNativeSize () { return [480, 360]; }
    on () {}
    removeListener () {}

    // ---- skins
    createSVGSkin (svg, rotationCenter) {
        const m = /viewBox="\s*([-\d.]+)[\s,]+([-\d.]+)[\s,]+([-\d.]+)[\s,]+([-\d.]+)/.exec(svg);
        const size = m ? [Number(m[3]), Number(m[4])] : [0, 0];
        const center = new Float32Array(3);
        const rc = rotationCenter || [size[0] / 2, size[1] / 2];
        center[0] = rc[0] - (m ? Number(m[1]) : 0);
        center[1] = rc[1] - (m ? Number(m[2]) : 0);
        return this._newSkin({size, rotationCenter: center});
    }
    updateSVGSkin (id, svg, rotationCenter) {
        this.skins[id] = this.skins[this.createSVGSkin(svg, rotationCenter)];
    }
    createBitmapSkin () { return this._newSkin({size: [0, 0], rotationCenter: new Float32Array(3)}); }
    updateBitmapSkin () {}
    createTextSkin () { return this._newSkin({size: [100, 50], rotationCenter: new Float32Array(3)}); }
    updateTextSkin () {}
    createPenSkin () { return this._newSkin({size: [480, 360], rotationCenter: new Float32Array(3)}); }
    destroySkin (id) { delete this.skins[id]; }
    getSkinSize (id) { return this.skins[id] ? this.skins[id].size.slice() : [0, 0]; }
    getSkinRotationCenter (id) {
        const s = this.skins[id];
        return s ? [s.rotationCenter[0], s.rotationCenter[1]] : [0, 0];
    }
    getCurrentSkinSize (drawableId) {
        const d = this.drawables[drawableId];
        return d && d.skin ? d.skin.size.slice() : [0, 0];
    }

    // ---- drawable properties
    updateDrawableSkinId (id, skinId) {
        const d = this.drawables[id];
        if (d) d.skin = this.skins[skinId] || null;
    }
    updateDrawablePosition (id, position) {
        const d = this.drawables[id];
        if (d) {
            d._position[0] = position[0];
            d._position[1] = position[1];
        }
    }
    updateDrawableDirectionScale (id, direction, scale) {
        const d = this.drawables[id];
        if (d) {
            d._direction = direction;
            d._scale[0] = scale[0];
            d._scale[1] = scale[1];
        }
    }
    updateDrawableVisible (id, visible) {
        const d = this.drawables[id];
        if (d) d._visible = visible;
    }
    updateDrawableEffect () {}

    // RenderWebGL.getFencedPositionOfDrawable, as in scratch-render
    getFencedPositionOfDrawable (drawableID, position) {
        let x = position[0];
        let y = position[1];
        const drawable = this.drawables[drawableID];
        if (!drawable) return [x, y];
        const dx = x - drawable._position[0];
        const dy = y - drawable._position[1];
        const aabb = drawable.getAABB();
        const inset = Math.floor(Math.min(aabb.width, aabb.height) / 2);
        const sx = X_RIGHT - Math.min(FENCE_WIDTH, inset);
        if (aabb.right + dx < -sx) {
            x = Math.ceil(drawable._position[0] - (sx + aabb.right));
        } else if (aabb.left + dx > sx) {
            x = Math.floor(drawable._position[0] + (sx - aabb.left));
        }
        const sy = Y_TOP - Math.min(FENCE_WIDTH, inset);
        if (aabb.top + dy < -sy) {
            y = Math.ceil(drawable._position[1] - (sy + aabb.top));
        } else if (aabb.bottom + dy > sy) {
            y = Math.floor(drawable._position[1] + (sy - aabb.bottom));
        }
        return [x, y];
    }

    // ---- bounds and collisions (modelled: see the header)
    getBounds (id) {
        const d = this.drawables[id];
        return d ? d.getBounds() : null;
    }
    getBoundsForBubble (id) { return this.getBounds(id); }
    isTouchingDrawables (id, candidates) {
        const d = this.drawables[id];
        if (!d || !d._visible || !candidates) return false;
        return candidates.some(cid => {
            const o = this.drawables[cid];
            if (!o || o === d || !o._visible) return false;
            const dist = Math.hypot(d._position[0] - o._position[0], d._position[1] - o._position[1]);
            return dist <= d.radius() + o.radius();
        });
    }
    // (clientX, clientY): canvas coordinates of a 480x360 canvas, as scratch-render takes them
    drawableTouching (id, clientX, clientY) {
        const d = this.drawables[id];
        if (!d || !d._visible) return false;
        const x = clientX - X_RIGHT;
        const y = Y_TOP - clientY;
        return Math.hypot(d._position[0] - x, d._position[1] - y) <= d.radius();
    }
    isTouchingColor () { return false; }
    pick () { return false; }

    // ---- pen
    penLine (skinId, attrs, x0, y0, x1, y1) {
        this.trace.segments.push([x0, y0, x1, y1]);
        const c = attrs.color4f;
        const hex = '#' + [0, 1, 2].map(i => Math.round(c[i] * 255).toString(16).padStart(2, '0')).join('');
        this.trace.segment_pens.push([null, hex, attrs.diameter, c[3]]);
    }
    penPoint (skinId, attrs, x, y) {
        this.trace.dots.push([x, y]);
    }
    penStamp (skinId, drawableId) {
        const d = this.drawables[drawableId];
        if (d) this.trace.stamps.push([d._position[0], d._position[1]]);
    }
    penClear () {
        this.trace.segments.length = 0;
        this.trace.segment_pens.length = 0;
        this.trace.dots.length = 0;
        this.trace.stamps.length = 0;
        this.penClears += 1;
    }
}

module.exports = {StubRenderer};
